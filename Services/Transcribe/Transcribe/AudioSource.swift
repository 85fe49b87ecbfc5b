import Foundation
import VOCBlob
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

/// Reads any `file:///absolute/path` URI, for tools that transcribe files they were
/// given; the stage reads through ``BlobAudioSource``, confined to the blob store.
/// Copies the file, then checks size and SHA-256.
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

/// Reads the URIs of the shared claim-check store (`VOCBlob`): the same store, and the
/// same settings, that ingest writes with.
public struct BlobAudioSource: AudioSource {
    public let store: any BlobStore

    public init(store: any BlobStore) {
        self.store = store
    }

    public func handles(scheme: String) -> Bool { scheme == store.scheme }

    public func fetch(_ reference: AudioReference, to localPath: String) async throws(TranscribeError) {
        do {
            try await store.download(reference.uri, to: localPath)
        } catch {
            switch error.code {
            case .configuration, .refused:
                throw TranscribeError(.audioMismatch, "audio.uri \(reference.uri): \(error.message)")
            default:
                throw TranscribeError(.audioUnavailable, "audio.uri \(reference.uri): \(error.message)")
            }
        }
        try AudioDigest.verify(localPath, against: reference)
    }
}

extension AudioSources {
    /// The store ingest writes, and nothing else: `file://` URIs inside `blob.localDir`, or
    /// the bucket's `s3://` URIs. An event naming any other file is refused, so a record
    /// on the topic cannot make the stage read (and send to an engine) a file of the host.
    public static func standard(_ blob: BlobSettings) throws(BlobError) -> AudioSources {
        AudioSources([BlobAudioSource(store: try BlobStores.make(blob))])
    }
}

/// Size and SHA-256 checks of a fetched recording.
public enum AudioDigest {
    /// The lower-case hex SHA-256 and the size of a file, read in chunks.
    public static func sha256(ofFile path: String) throws(TranscribeError) -> (hex: String, size: Int64) {
        do {
            let digest = try FileDigest(path: path)
            return (digest.sha256, digest.size)
        } catch {
            throw TranscribeError(.audioUnavailable, "cannot read \(path): \(error)")
        }
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
