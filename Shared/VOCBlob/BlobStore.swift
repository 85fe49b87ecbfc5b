import Foundation

/// A place for recordings, addressed by URI: the claim-check behind the audio events.
///
/// Uploads are first spooled to a local file (``SpoolFile``) that measures and hashes
/// them; the store then takes the finished file whole, so a half-received upload is
/// never visible under its final key.
public protocol BlobStore: Sendable {
    /// The URI scheme this store writes (`file` or `s3`).
    var scheme: String { get }

    /// The URI an object stored under `key` will have.
    func uri(forKey key: String) -> String

    /// Moves a finished spool file into the store under `key`.
    /// - Returns: The URI that finds the object again.
    /// - Throws: ``BlobError``; the spool file is left for the caller to discard.
    func put(_ spool: SpoolFile.Finished, key: String, mediaType: String) async throws(BlobError) -> String

    /// Copies the object at `uri` to the local file `path`.
    /// - Throws: ``BlobError`` with code `.notFound` when there is no such object.
    func download(_ uri: String, to path: String) async throws(BlobError)

    /// Removes the object; removing a missing object is not an error.
    func delete(_ uri: String) async throws(BlobError)

    /// Whether an object exists at `uri`.
    func exists(_ uri: String) async throws(BlobError) -> Bool

    /// Where spool files go: on the store's own file system for the local store, so that
    /// `put` is a rename.
    var spoolDirectory: String { get }

    /// Releases what the store holds (the S3 store's connections); no request is made
    /// afterwards.
    func shutdown() async
}

extension BlobStore {
    public func shutdown() async {}
}

extension BlobStore {
    /// Downloads `uri` to `path` and checks it against the size and SHA-256 the event
    /// carried.
    /// - Throws: ``BlobError`` with code `.integrity` when the bytes differ.
    public func download(_ uri: String, to path: String, expectedSize: Int64?, expectedSHA256: String) async throws(BlobError) {
        try await download(uri, to: path)
        let digest: FileDigest
        do {
            digest = try FileDigest(path: path)
        } catch {
            throw BlobError(code: .io, message: "could not read the downloaded blob \(path): \(error)")
        }
        if let expectedSize, digest.size != expectedSize {
            throw BlobError(code: .integrity, message: "\(uri) has \(digest.size) bytes, the event says \(expectedSize)")
        }
        if digest.sha256 != expectedSHA256.lowercased() {
            throw BlobError(code: .integrity, message: "\(uri) has SHA-256 \(digest.sha256), the event says \(expectedSHA256)")
        }
    }
}

/// Builds the configured store.
public enum BlobStores {
    /// - Throws: ``BlobError`` with code `.configuration` for incomplete S3 settings.
    public static func make(_ settings: BlobSettings) throws(BlobError) -> any BlobStore {
        switch settings.kind {
        case .local:
            return try LocalBlobStore(root: settings.localDirectory)
        case .s3:
            return try S3BlobStore(settings: settings.s3, spoolDirectory: settings.spoolDirectory)
        }
    }
}
