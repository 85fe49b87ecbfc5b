import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Refuses to start when a port `voc up` is to listen on is already taken, naming the
/// port and who needs it: a service that cannot bind stops the whole stack, and the
/// bind error alone does not say which option to change.
enum PortCheck {
    static func ensureFree(_ ports: [(name: String, port: Int)], host: String) throws {
        for (name, port) in ports where !isFree(port, host: host) {
            throw ValidationError("port \(port) on \(host), which \(name) is to listen on, is in use; stop what holds it or pass --\(name)-port")
        }
    }

    static func isFree(_ port: Int, host: String) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        // As the services bind: a port left in TIME_WAIT by an earlier run counts as free.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        // A host name that is not a dotted quad is checked on every interface.
        address.sin_addr.s_addr = inet_addr(host) == INADDR_NONE ? INADDR_ANY : inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }
}
