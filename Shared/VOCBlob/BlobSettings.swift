import Configuration
import Foundation

/// Where recordings are kept (documented in docs/configuration.md under `blob.*`).
public struct BlobSettings: Sendable {
    public enum Kind: String, Sendable {
        case local, s3
    }

    public struct S3: Sendable {
        /// Base URL of the S3 API, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://minio:9000`.
        public var endpoint: String
        public var region: String
        public var bucket: String
        public var accessKeyId: String
        public var secretAccessKey: String
        /// `http://endpoint/bucket/key` (MinIO, moto, most self-hosted stores) instead of
        /// `http://bucket.endpoint/key`.
        public var pathStyle: Bool
        /// Per-request timeout.
        public var timeoutSeconds: Double

        public init(endpoint: String, region: String = "us-east-1", bucket: String, accessKeyId: String,
                    secretAccessKey: String, pathStyle: Bool = true, timeoutSeconds: Double = 60) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.pathStyle = pathStyle
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public var kind: Kind
    public var localDirectory: String
    /// Where uploads are spooled before an S3 store takes them.
    public var spoolDirectory: String
    public var s3: S3

    public init(kind: Kind = .local, localDirectory: String = ".voc/blobs", spoolDirectory: String? = nil, s3: S3? = nil) {
        self.kind = kind
        self.localDirectory = localDirectory
        self.spoolDirectory = spoolDirectory ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("voc-spool")
        self.s3 = s3 ?? S3(endpoint: "", bucket: "", accessKeyId: "", secretAccessKey: "")
    }

    /// - Throws: ``BlobError`` with code `.configuration` for an unknown `blob.store`.
    public init(config: ConfigReader) throws(BlobError) {
        let name = config.string(forKey: "blob.store", default: "local")
        guard let kind = Kind(rawValue: name) else {
            throw BlobError(code: .configuration, message: "blob.store must be local or s3 (got \"\(name)\")")
        }
        self.init(
            kind: kind,
            localDirectory: config.string(forKey: "blob.localDir", default: ".voc/blobs"),
            spoolDirectory: config.string(forKey: "blob.spoolDir"),
            s3: S3(
                endpoint: config.string(forKey: "blob.s3.endpoint", default: ""),
                region: config.string(forKey: "blob.s3.region", default: "us-east-1"),
                bucket: config.string(forKey: "blob.s3.bucket", default: ""),
                accessKeyId: config.string(forKey: "blob.s3.accessKeyId", default: ""),
                secretAccessKey: config.string(forKey: "blob.s3.secretAccessKey", isSecret: true, default: ""),
                pathStyle: config.bool(forKey: "blob.s3.pathStyle", default: true),
                timeoutSeconds: config.double(forKey: "blob.s3.timeoutSeconds", default: 60)))
    }
}
