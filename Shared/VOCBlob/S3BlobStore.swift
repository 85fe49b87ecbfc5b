import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blobs in an S3-compatible bucket, addressed by `s3://bucket/key` URIs.
///
/// Requests are signed with SigV4 and carry the payload's SHA-256, so the store itself
/// rejects a body that changed on the way.
public struct S3BlobStore: BlobStore {
    public let settings: BlobSettings.S3
    public let spoolDirectory: String
    public var scheme: String { "s3" }
    private let signer: SigV4Signer
    private let session: URLSession

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
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeoutSeconds
        self.session = URLSession(configuration: configuration)
    }

    public func uri(forKey key: String) -> String {
        "s3://\(settings.bucket)/\(key)"
    }

    public func put(_ spool: SpoolFile.Finished, key: String, mediaType: String) async throws(BlobError) -> String {
        let request = try request("PUT", key: key, payloadSHA256: spool.sha256, extraHeaders: [
            "content-type": mediaType, "content-length": String(spool.size),
        ])
        let (_, response) = try await perform { try await session.upload(for: request, fromFile: URL(fileURLWithPath: spool.path)) }
        try check(response, "PUT", key)
        try? FileManager.default.removeItem(atPath: spool.path)
        return uri(forKey: key)
    }

    public func download(_ uri: String, to path: String) async throws(BlobError) {
        let key = try self.key(of: uri)
        let request = try request("GET", key: key)
        let (file, response) = try await perform { try await session.download(for: request) }
        defer { try? FileManager.default.removeItem(at: file) }
        try check(response, "GET", key)
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.moveItem(at: file, to: URL(fileURLWithPath: path))
        } catch {
            throw BlobError(code: .io, message: "could not save \(uri) to \(path): \(error)")
        }
    }

    public func delete(_ uri: String) async throws(BlobError) {
        let key = try self.key(of: uri)
        let (_, response) = try await perform { try await session.data(for: try request("DELETE", key: key)) }
        if response.statusCode == 404 { return }
        try check(response, "DELETE", key)
    }

    public func exists(_ uri: String) async throws(BlobError) -> Bool {
        let key = try self.key(of: uri)
        let (_, response) = try await perform { try await session.data(for: try request("HEAD", key: key)) }
        if response.statusCode == 404 { return false }
        try check(response, "HEAD", key)
        return true
    }

    /// Creates the bucket if it is missing (for the embedded default and tests; production
    /// buckets are made by their owners).
    public func createBucketIfMissing() async throws(BlobError) {
        let (_, response) = try await perform { try await session.data(for: try request("PUT", key: nil)) }
        if response.statusCode == 409 { return }  // already exists (and is ours)
        try check(response, "PUT bucket", settings.bucket)
    }

    private func key(of uri: String) throws(BlobError) -> String {
        let prefix = "s3://\(settings.bucket)/"
        guard uri.hasPrefix(prefix), uri.count > prefix.count else {
            throw BlobError(code: .configuration, message: "\(uri) is not in the bucket \(settings.bucket)")
        }
        return String(uri.dropFirst(prefix.count))
    }

    private func request(_ method: String, key: String?, payloadSHA256: String = SigV4Signer.emptyPayloadSHA256,
                         extraHeaders: [String: String] = [:]) throws(BlobError) -> URLRequest {
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
        let signature = signer.sign(method: method, path: components.percentEncodedPath, headers: headers,
                                    payloadSHA256: payloadSHA256, date: Date())
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers.merging(signature, uniquingKeysWith: { _, new in new }) where name != "host" {
            request.setValue(value, forHTTPHeaderField: name)
        }
        return request
    }

    private func perform<T>(_ body: () async throws -> (T, URLResponse)) async throws(BlobError) -> (T, HTTPURLResponse) {
        do {
            let (value, response) = try await body()
            guard let http = response as? HTTPURLResponse else {
                throw BlobError(code: .unavailable, message: "the S3 store at \(settings.endpoint) sent no HTTP response")
            }
            return (value, http)
        } catch let error as BlobError {
            throw error
        } catch {
            throw BlobError(code: .unavailable, message: "the S3 store at \(settings.endpoint) is unreachable: \(error.localizedDescription)")
        }
    }

    private func check(_ response: HTTPURLResponse, _ operation: String, _ key: String) throws(BlobError) {
        switch response.statusCode {
        case 200..<300:
            return
        case 404:
            throw BlobError(code: .notFound, message: "\(operation) s3://\(settings.bucket)/\(key): not found")
        case 500...:
            throw BlobError(code: .unavailable, message: "\(operation) s3://\(settings.bucket)/\(key): the store answered \(response.statusCode)")
        default:
            throw BlobError(code: .refused, message: "\(operation) s3://\(settings.bucket)/\(key): the store answered \(response.statusCode)")
        }
    }
}
