// Answers every request with `message`, on the socket systemd's protocol hands it (what
// gale-autoreload does) or on --port N. The tests edit `message` and watch it change.
#if canImport(Glibc)
    import Glibc
#endif

let message = "version 1"

func listeningSocket() -> Int32 {
    if let pid = getenv("LISTEN_PID").flatMap({ Int32(String(cString: $0)) }), pid == getpid() {
        return 3
    }
    let arguments = CommandLine.arguments
    let port = arguments.firstIndex(of: "--port").flatMap { Int(arguments[$0 + 1]) } ?? 8888
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var on: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0, listen(descriptor, 128) == 0 else { fatalError("cannot listen on port \(port)") }
    return descriptor
}

let server = listeningSocket()
// SIGTERM ends the program between requests, never in the middle of one, as a server that
// drains does: it is blocked, and looked for while waiting for the next connection.
var terminate = sigset_t()
sigemptyset(&terminate)
sigaddset(&terminate, SIGTERM)
sigprocmask(SIG_BLOCK, &terminate, nil)
let greeting = Array("site serving \(message)\n".utf8)
_ = greeting.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
while true {
    var pending = sigset_t()
    sigpending(&pending)
    if sigismember(&pending, SIGTERM) == 1 { exit(0) }
    var waiting = pollfd(fd: server, events: Int16(POLLIN), revents: 0)
    guard poll(&waiting, 1, 100) == 1 else { continue }
    let client = accept(server, nil, nil)
    guard client >= 0 else { continue }
    var request: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while !request.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
        let count = read(client, &chunk, chunk.count)
        if count <= 0 { break }
        request += chunk[..<count]
    }
    let response = "HTTP/1.1 200 OK\r\nContent-Length: \(message.utf8.count)\r\nConnection: close\r\n\r\n\(message)"
    _ = Array(response.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    close(client)
}
