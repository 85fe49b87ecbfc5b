#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Comparison of secrets whose time does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Every byte of the longer one is looked at
    /// whatever the others hold, so the time taken tells only the lengths (which, for
    /// the digests and tokens compared here, are public).
    public static func equals(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool {
        let a = Array(a), b = Array(b)
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    /// ``equals(_:_:)`` of two strings' UTF-8 bytes.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(a.utf8, b.utf8)
    }
}

/// A file that holds secrets (gateway key digests, the notify directory's webhook
/// secrets and robot keys), read only when no one but its owner can read or write it.
public enum SecretFile {
    /// Why a secret file was refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        /// The setting that names the file, e.g. `ingest.keysFile`.
        public var setting: String
        public var path: String
        public var message: String

        public var description: String { "\(setting) \(path): \(message)" }
    }

    /// The permission bits of group and others; a secret file must have none of them.
    public static let sharedBits: mode_t = 0o077

    /// Reads `path` after checking that only its owner may read or write it.
    /// - Parameter setting: The configuration key that names the file, for the message.
    /// - Throws: ``Refusal`` naming the setting, the file and its mode when group or others
    ///   have any permission on it, or when it cannot be read.
    public static func read(_ path: String, setting: String) throws(Refusal) -> Data {
        try check(path, setting: setting)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Refusal(setting: setting, path: path, message: "cannot be read")
        }
        return data
    }

    /// Checks the file's mode without reading it.
    /// - Throws: ``Refusal`` as ``read(_:setting:)`` does.
    public static func check(_ path: String, setting: String) throws(Refusal) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Refusal(setting: setting, path: path, message: "cannot be read (\(String(cString: strerror(errno))))")
        }
        let mode = status.st_mode & 0o7777
        if mode & sharedBits != 0 {
            throw Refusal(setting: setting, path: path, message: """
                holds secrets but its mode is \(String(mode, radix: 8)), so group or others may read or change it; \
                make it readable by its owner only (chmod 600 \(path)), owned by the user the service runs as
                """)
        }
    }
}
