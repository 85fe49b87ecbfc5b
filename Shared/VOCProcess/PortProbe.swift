import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits until a server started as a child listens on a loopback port.
/// - Returns: `false` when nothing accepted a connection within `attempts` tries, 100 ms apart.
public func waitUntilListening(port: Int, attempts: Int = 100) async -> Bool {
    for _ in 0..<attempts {
        if acceptsConnections(port: port) { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return false
}

func acceptsConnections(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}
