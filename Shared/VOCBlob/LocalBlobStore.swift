import Foundation

/// Blobs as files under one folder, addressed by `file://` URIs: the embedded default.
///
/// Spool files live in `<root>/.spool`, on the same file system, so storing a finished
/// upload is an atomic rename: an object is either absent or complete.
public struct LocalBlobStore: BlobStore {
    public let root: String
    public var scheme: String { "file" }
    public var spoolDirectory: String { (root as NSString).appendingPathComponent(".spool") }

    /// - Throws: ``BlobError`` with code `.io` when the folder cannot be created.
    public init(root: String) throws(BlobError) {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        } catch {
            throw BlobError(code: .io, message: "could not create the blob folder \(absolute): \(error)")
        }
        self.root = absolute
    }

    public func uri(forKey key: String) -> String {
        URL(fileURLWithPath: (root as NSString).appendingPathComponent(key)).absoluteString
    }

    public func put(_ spool: SpoolFile.Finished, key: String, mediaType: String) async throws(BlobError) -> String {
        let target = try path(forKey: key)
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw BlobError(code: .io, message: "could not create the folder for \(target): \(error)")
        }
        guard rename(spool.path, target) == 0 else {
            throw BlobError(code: .io, message: "could not move the upload to \(target): \(String(cString: strerror(errno)))")
        }
        return uri(forKey: key)
    }

    public func download(_ uri: String, to path: String) async throws(BlobError) {
        let source = try self.path(forURI: uri)
        guard FileManager.default.fileExists(atPath: source) else {
            throw BlobError(code: .notFound, message: "no blob at \(uri)")
        }
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: path)
        } catch {
            throw BlobError(code: .io, message: "could not copy \(uri) to \(path): \(error)")
        }
    }

    public func delete(_ uri: String) async throws(BlobError) {
        let target = try path(forURI: uri)
        if unlink(target) != 0 && errno != ENOENT {
            throw BlobError(code: .io, message: "could not delete \(uri): \(String(cString: strerror(errno)))")
        }
    }

    public func exists(_ uri: String) async throws(BlobError) -> Bool {
        FileManager.default.fileExists(atPath: try path(forURI: uri))
    }

    private func path(forKey key: String) throws(BlobError) -> String {
        let parts = key.split(separator: "/")
        guard !key.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".spool") }) else {
            throw BlobError(code: .configuration, message: "blob key \"\(key)\" is not a relative path inside the store")
        }
        return (root as NSString).appendingPathComponent(key)
    }

    /// Only URIs inside this store's folder are served: a URI in an event is not a
    /// licence to read any file of the host.
    private func path(forURI uri: String) throws(BlobError) -> String {
        guard let url = URL(string: uri), url.isFileURL else {
            throw BlobError(code: .configuration, message: "the local blob store reads file:// URIs only (got \(uri))")
        }
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(root + "/") else {
            throw BlobError(code: .configuration, message: "\(uri) is outside the blob folder \(root)")
        }
        return path
    }
}
