import Foundation
import VOCBlob

/// Local copies of recordings fetched from the blob store by their claim-check, checked
/// against the size and SHA-256 the event carried and kept under that hash, so seeking in
/// a player (one range request after another) fetches a recording once.
public struct RecordingFiles: Sendable {
    let blobs: any BlobStore
    /// `projector.audioCacheDir`.
    public let directory: String

    public init(blobs: any BlobStore, directory: String) {
        self.blobs = blobs
        self.directory = directory
    }

    /// The path of a verified local copy of the recording.
    /// - Throws: ``BlobError``: `.notFound` when the store lost it, `.integrity` when its bytes
    ///   are not the ones the event described.
    public func file(for reference: RecordingReference) async throws(BlobError) -> String {
        let hash = reference.sha256.lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw BlobError(code: .integrity, message: "recording of \(reference.interactionId) has no SHA-256 to check it by")
        }
        let path = (directory as NSString).appendingPathComponent(hash)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           (attributes[.size] as? NSNumber)?.int64Value == reference.sizeBytes {
            return path
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BlobError(code: .io, message: "cannot create projector.audioCacheDir \(directory): \(error)")
        }
        // Fetched under a name of its own, then renamed: a reader never sees half a file.
        let partial = path + ".\(UUID().uuidString).part"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        try await blobs.download(reference.uri, to: partial, expectedSize: reference.sizeBytes, expectedSHA256: hash)
        if rename(partial, path) != 0 {
            throw BlobError(code: .io, message: "cannot move the recording into \(directory) (errno \(errno))")
        }
        return path
    }

    /// Bytes `lower...upper` of a local file.
    static func read(_ path: String, lower: Int64, upper: Int64) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(lower))
        return try handle.read(upToCount: Int(upper - lower + 1)) ?? Data()
    }
}
