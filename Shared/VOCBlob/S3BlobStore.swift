import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFileSystem
import NIOHTTP1

/// Blobs in an S3-compatible bucket, addressed by `s3://bucket/key` URIs.
///
/// Requests are signed with SigV4 and carry the payload's SHA-256, so the store itself
/// rejects a body that changed on the way. Uploads stream from the spool file and
/// downloads stream into the target file; neither holds a recording in memory.
///
/// The store owns one AsyncHTTPClient `HTTPClient` on NIO's shared event-loop group: its
/// copies share the pooled connections, ``shutdown()`` closes them, and releasing the last
/// copy does the same. `blob.s3.timeoutSeconds` bounds connecting and every pause in
/// sending or receiving, not the whole transfer.
public struct S3BlobStore: BlobStore {
    public let settings: BlobSettings.S3
    public let spoolDirectory: String
    public var scheme: String { "s3" }
    private let signer: SigV4Signer
    private let connection: Connection

    /// The client, shut down when the last store copy holding it goes away.
    private final class Connection: Sendable {
        let client: HTTPClient

        init(timeoutSeconds: Double) {
            let timeout = TimeAmount.nanoseconds(Int64(max(0.001, timeoutSeconds) * 1e9))
            var configuration = HTTPClient.Configuration(
                timeout: HTTPClient.Configuration.Timeout(connect: timeout, read: timeout, write: timeout))
            // A refused connection fails the request at once, as an unavailable store.
            configuration.connectionPool.retryConnectionEstablishment = false
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }

        deinit {
            client.shutdown { _ in }
        }
    }

    /// - Throws: ``BlobError`` with code `.configuration` naming the missing setting.
    public init(settings: BlobSettings.S3, spoolDirectory: String) throws(BlobError) {
        for (name, value) in [("blob.s3.endpoint", settings.endpoint), ("blob.s3.bucket", settings.bucket),
                              ("blob.s3.accessKeyId", settings.accessKeyId), ("blob.s3.secretAccessKey", settings.secretAccessKey)]
        where value.isEmpty {
            throw BlobError(code: .configuration, message: "\(name) is required when blob.store is s3")
        }
        guard let endpoint = URL(string: settings.endpoint), endpoint.host != nil, ["http", "https"].contains(endpoint.scheme ?? "") else {
            throw BlobError(code: .configuration, message: "blob.s3.endpoint must be an http(s) URL (got \(settings.endpoint))")
        }
        self.settings = settings
        self.spoolDirectory = spoolDirectory
        self.signer = SigV4Signer(accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, region: settings.region)
        self.connection = Connection(timeoutSeconds: settings.timeoutSeconds)
    }

    /// Closes the pooled connections; requests after this fail as unavailable.
    public func shutdown() async {
        try? await connection.client.shutdown()
    }

    public func uri(forKey key: String) -> String {
        "s3://\(settings.bucket)/\(key)"
    }

    public func put(_ spool: SpoolFile.Finished, key: String, mediaType: String) async throws(BlobError) -> String {
        var request = try request(.PUT, key: key, payloadSHA256: spool.sha256, extraHeaders: [
            "content-type": mediaType, "content-length": String(spool.size),
        ])
        let status = try await perform {
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(spool.path)) { file in
                request.body = .stream(file.readChunks(chunkLength: .kibibytes(256)), length: .known(spool.size))
                let response = try await execute(request)
                for try await _ in response.body {}
                return response.status
            }
        }
        try check(status, "PUT", key)
        try? FileManager.default.removeItem(atPath: spool.path)
        return uri(forKey: key)
    }

    public func download(_ uri: String, to path: String) async throws(BlobError) {
        let key = try self.key(of: uri)
        let request = try request(.GET, key: key)
        let response = try await perform { try await execute(request) }
        guard (200..<300).contains(response.status.code) else {
            _ = try? await response.body.collect(upTo: 1 << 20)
            try check(response.status, "GET", key)
            return
        }
        do {
            // Written to a temporary file that takes the name only when the whole body is in.
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(path), options: .newFile(replaceExisting: true)) { file in
                var writer = file.bufferedWriter()
                for try await chunk in response.body {
                    try await writer.write(contentsOf: chunk)
                }
                try await writer.flush()
            }
        } catch let error as FileSystemError {
            throw BlobError(code: .io, message: "could not save \(uri) to \(path): \(error)")
        } catch {
            throw BlobError(code: .unavailable, message: "the S3 store at \(settings.endpoint) is unreachable: \(error)")
        }
    }

    public func delete(_ uri: String) async throws(BlobError) {
        let key = try self.key(of: uri)
        let request = try request(.DELETE, key: key)
        let status = try await perform { try await executeAndDrain(request) }
        if status.code == 404 { return }
        try check(status, "DELETE", key)
    }

    public func exists(_ uri: String) async throws(BlobError) -> Bool {
        let key = try self.key(of: uri)
        let request = try request(.HEAD, key: key)
        let status = try await perform { try await executeAndDrain(request) }
        if status.code == 404 { return false }
        try check(status, "HEAD", key)
        return true
    }

    /// Creates the bucket if it is missing (for the embedded default and tests; production
    /// buckets are made by their owners).
    public func createBucketIfMissing() async throws(BlobError) {
        let request = try request(.PUT, key: nil)
        let status = try await perform { try await executeAndDrain(request) }
        if status.code == 409 { return }  // already exists (and is ours)
        try check(status, "PUT bucket", settings.bucket)
    }

    private func key(of uri: String) throws(BlobError) -> String {
        let prefix = "s3://\(settings.bucket)/"
        guard uri.hasPrefix(prefix), uri.count > prefix.count else {
            throw BlobError(code: .configuration, message: "\(uri) is not in the bucket \(settings.bucket)")
        }
        return String(uri.dropFirst(prefix.count))
    }

    private func request(_ method: HTTPMethod, key: String?, payloadSHA256: String = SigV4Signer.emptyPayloadSHA256,
                         extraHeaders: [String: String] = [:]) throws(BlobError) -> HTTPClientRequest {
        var components = URLComponents(string: settings.endpoint)!
        let encodedKey = key.map { SigV4Signer.encode($0, keepSlash: true) }
        let basePath = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        if settings.pathStyle {
            components.percentEncodedPath = basePath + "/" + settings.bucket + (encodedKey.map { "/" + $0 } ?? "")
        } else {
            components.host = "\(settings.bucket).\(components.host ?? "")"
            components.percentEncodedPath = basePath + "/" + (encodedKey ?? "")
        }
        guard let url = components.url else {
            throw BlobError(code: .configuration, message: "could not build an S3 URL for key \(key ?? "")")
        }
        var host = components.host ?? ""
        if let port = components.port { host += ":\(port)" }
        var headers = extraHeaders
        headers["host"] = host
        let signature = signer.sign(method: method.rawValue, path: components.percentEncodedPath, headers: headers,
                                    payloadSHA256: payloadSHA256, date: Date())
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers.merging(signature, uniquingKeysWith: { _, new in new }) where name != "host" {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        return request
    }

    /// No deadline for the whole request: the client's connect, read and write timeouts
    /// bound every pause instead, so a large recording is not cut off.
    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try await connection.client.execute(request, deadline: .distantFuture)
    }

    private func executeAndDrain(_ request: HTTPClientRequest) async throws -> HTTPResponseStatus {
        let response = try await execute(request)
        for try await _ in response.body {}
        return response.status
    }

    private func perform<T>(_ body: () async throws -> T) async throws(BlobError) -> T {
        do {
            return try await body()
        } catch let error as BlobError {
            throw error
        } catch {
            throw BlobError(code: .unavailable, message: "the S3 store at \(settings.endpoint) is unreachable: \(error)")
        }
    }

    private func check(_ status: HTTPResponseStatus, _ operation: String, _ key: String) throws(BlobError) {
        switch status.code {
        case 200..<300:
            return
        case 404:
            throw BlobError(code: .notFound, message: "\(operation) s3://\(settings.bucket)/\(key): not found")
        case 500...:
            throw BlobError(code: .unavailable, message: "\(operation) s3://\(settings.bucket)/\(key): the store answered \(status.code)")
        default:
            throw BlobError(code: .refused, message: "\(operation) s3://\(settings.bucket)/\(key): the store answered \(status.code)")
        }
    }
}
