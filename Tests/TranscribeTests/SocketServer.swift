import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real TCP server on loopback for the engine client's failure cases: it stalls
/// (accepts and never answers) or answers with a fixed status and body. It counts the
/// connections and keeps the requests it read.
final class SocketServer: Sendable {
    enum Behaviour: Sendable {
        case stall
        case respond(status: Int, body: String)
    }

    let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let state = Mutex<(connections: Int, requests: [String], open: [Int32])>((0, [], []))

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var connections: Int { state.withLock { $0.connections } }
    var requests: [String] { state.withLock { $0.requests } }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        for fd in state.withLock({ $0.open }) { Glibc.close(fd) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            state.withLock { $0.connections += 1; $0.open.append(client) }
            let request = readRequest(client)
            state.withLock { $0.requests.append(request) }
            if case .respond(let status, let body) = behaviour {
                let response = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = response.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                Glibc.close(client)
                state.withLock { $0.open.removeAll { $0 == client } }
            }
            // .stall: the connection stays open, unanswered, until close().
        }
    }

    /// Reads the head and, by Content-Length, the body; answers `Expect: 100-continue`.
    private func readRequest(_ fd: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        var continued = false
        while expected == nil || data.count < expected! {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
            if expected == nil, let end = find(Array("\r\n\r\n".utf8), in: data) {
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + 4 + length
                if head.contains("expect: 100-continue") && !continued {
                    continued = true
                    _ = "HTTP/1.1 100 Continue\r\n\r\n".withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                }
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where Array(haystack[index..<index + needle.count]) == needle {
            return index
        }
        return nil
    }
}

/// A loopback port nothing listens on (any more).
func refusedPort() throws -> Int {
    let server = try SocketServer(.stall)
    server.close()
    return server.port
}
