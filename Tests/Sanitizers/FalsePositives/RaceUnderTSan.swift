// A real race, two threads adding to one property with no lock: ThreadSanitizer must still
// report it under Tests/Sanitizers/tsan.supp, which silences reports from inside
// Mutex.withLock only. Built and run by false-positives.sh.
import Foundation

final class Box: @unchecked Sendable {  // @unchecked: the race is the point of this program.
    var total = 0
}

let box = Box()
let threads = (0..<2).map { _ in
    Thread {
        for _ in 0..<200_000 {
            box.total += 1
            usleep(0)
        }
    }
}
threads.forEach { $0.start() }
sleep(3)
print("total \(box.total), short of 400000 when increments were lost")
