import Crypto
import Foundation

/// A local file that an upload streams into, measured and hashed on the way, with a
/// size limit enforced as the bytes arrive rather than after.
///
/// Not thread-safe: one upload writes it from one task.
public final class SpoolFile {
    public struct Finished: Sendable {
        public var path: String
        public var size: Int64
        /// Lower-case hex SHA-256 of the bytes.
        public var sha256: String
        /// The first bytes, for telling the media type.
        public var head: [UInt8]
    }

    public let path: String
    public let limit: Int64
    private let handle: FileHandle
    private var hasher = SHA256()
    private(set) public var size: Int64 = 0
    private(set) public var head: [UInt8] = []
    private var closed = false
    public static let headLength = 64

    /// Creates an empty spool file in `directory`.
    /// - Throws: ``BlobError`` with code `.io` when the file cannot be created.
    public init(directory: String, limit: Int64) throws(BlobError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BlobError(code: .io, message: "could not create the spool folder \(directory): \(error)")
        }
        let path = (directory as NSString).appendingPathComponent("upload-\(UUID().uuidString.lowercased()).part")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BlobError(code: .io, message: "could not create the spool file \(path)")
        }
        self.path = path
        self.limit = limit
        self.handle = handle
    }

    deinit {
        if !closed { try? handle.close() }
    }

    /// Appends bytes.
    /// - Throws: ``BlobError`` with code `.tooLarge` past the limit (nothing more is written),
    ///   `.io` when the disk refuses.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(BlobError) {
        guard !bytes.isEmpty else { return }
        if size + Int64(bytes.count) > limit {
            throw BlobError(code: .tooLarge, message: "the upload is larger than \(limit) bytes")
        }
        if head.count < Self.headLength {
            head.append(contentsOf: bytes.prefix(Self.headLength - head.count))
        }
        hasher.update(bufferPointer: bytes)
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw BlobError(code: .io, message: "could not write the spool file \(path): \(error)")
        }
        size += Int64(bytes.count)
    }

    /// Flushes and closes the file.
    public func finish() throws(BlobError) -> Finished {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw BlobError(code: .io, message: "could not close the spool file \(path): \(error)")
        }
        closed = true
        return Finished(path: path, size: size, sha256: hasher.finalize().hexString, head: head)
    }

    /// Closes (if needed) and deletes the file.
    public func discard() {
        if !closed {
            try? handle.close()
            closed = true
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Size and SHA-256 of a file, read in chunks.
public struct FileDigest: Sendable, Equatable {
    public var size: Int64
    public var sha256: String

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BlobError(code: .notFound, message: "no file at \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        self.size = size
        self.sha256 = hasher.finalize().hexString
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal.
    public var hexString: String {
        var out = ""
        for byte in self {
            out += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return out
    }
}
