// A correct use of Synchronization.Mutex that ThreadSanitizer on Linux reports as a race:
// four threads append under the lock, the main thread reads the count under it. Built and run
// by false-positives.sh; Docs/Sanitizers.md explains what it shows.
import Foundation
import Synchronization

final class Counter: Sendable {
    let values = Mutex<[Int]>([])
}

let counter = Counter()
let threads = (0..<4).map { offset in
    Thread {
        for value in 0..<200_000 { counter.values.withLock { $0.append(value + offset) } }
    }
}
threads.forEach { $0.start() }
var count = 0
while count < 800_000 {
    count = counter.values.withLock { $0.count }
    usleep(1000)
}
print("appended \(count) values under the lock")
