import Crypto
import Foundation
import VOCSchema

/// Where the claim-check bytes of a recording are read from.
///
/// The stage asks for a local copy it can hand to ffmpeg; an implementation must check
/// the bytes against the event's size and SHA-256 and throw
/// ``TranscribeError/Code/audioMismatch`` when they differ (a permanent failure: the
/// record is dead-lettered at once, not retried).
public protocol AudioSource: Sendable {
    /// Whether this source reads URIs of this scheme (`file`, `s3`).
    func handles(scheme: String) -> Bool
    /// Copies the recording to `localPath` and verifies it.
    func fetch(_ reference: AudioReference, to localPath: String) async throws(TranscribeError)
}

/// Picks the source for a URI's scheme.
public struct AudioSources: AudioSource {
    public var sources: [any AudioSource]

    public init(_ sources: [any AudioSource]) {
        self.sources = sources
    }

    public func handles(scheme: String) -> Bool {
        sources.contains { $0.handles(scheme: scheme) }
    }

    public func fetch(_ reference: AudioReference, to localPath: String) async throws(TranscribeError) {
        let scheme = URL(string: reference.uri)?.scheme?.lowercased() ?? ""
        guard let source = sources.first(where: { $0.handles(scheme: scheme) }) else {
            throw TranscribeError(.audioMismatch, "no audio source reads \(scheme.isEmpty ? "URI" : scheme + "://") \(reference.uri)")
        }
        try await source.fetch(reference, to: localPath)
    }
}

/// Reads `file:///absolute/path` URIs: the local directory blob store of the embedded
/// default. Copies the file, then checks size and SHA-256.
public struct FileAudioSource: AudioSource {
    public init() {}

    public func handles(scheme: String) -> Bool { scheme == "file" }

    public func fetch(_ reference: AudioReference, to localPath: String) async throws(TranscribeError) {
        guard let url = URL(string: reference.uri), url.scheme == "file", url.path.hasPrefix("/") else {
            throw TranscribeError(.audioMismatch, "audio.uri \(reference.uri) is not a file:///absolute/path URI")
        }
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw TranscribeError(.audioUnavailable, "audio file \(path) does not exist")
        }
        do {
            if FileManager.default.fileExists(atPath: localPath) { try FileManager.default.removeItem(atPath: localPath) }
            try FileManager.default.copyItem(atPath: path, toPath: localPath)
        } catch {
            throw TranscribeError(.audioUnavailable, "cannot copy \(path): \(error.localizedDescription)")
        }
        try AudioDigest.verify(localPath, against: reference)
    }
}

/// Size and SHA-256 checks of a fetched recording.
public enum AudioDigest {
    /// The lower-case hex SHA-256 and the size of a file, read in chunks.
    public static func sha256(ofFile path: String) throws(TranscribeError) -> (hex: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TranscribeError(.audioUnavailable, "cannot open \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw TranscribeError(.audioUnavailable, "cannot read \(path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    /// - Throws: ``TranscribeError/Code/audioMismatch`` naming what differs.
    public static func verify(_ path: String, against reference: AudioReference) throws(TranscribeError) {
        let (hex, size) = try sha256(ofFile: path)
        if size != reference.sizeBytes {
            throw TranscribeError(.audioMismatch, "audio \(reference.uri) has \(size) bytes, the event says audio.sizeBytes \(reference.sizeBytes)")
        }
        if hex != reference.sha256.lowercased() {
            throw TranscribeError(.audioMismatch, "audio \(reference.uri) has SHA-256 \(hex), the event says audio.sha256 \(reference.sha256)")
        }
    }
}
