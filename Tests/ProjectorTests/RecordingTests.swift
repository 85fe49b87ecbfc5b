import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Projector
import Testing
import VOCBlob
import VOCSchema
import VOCServiceTestSupport

/// A local blob store and an audio cache in fresh temporary folders.
enum LocalBlobStoreFixture {
    static func folder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("voc-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func make() throws -> LocalBlobStore { try LocalBlobStore(root: folder("blobs")) }
    static func cache() -> String { folder("audio-cache") }
}

/// Recordings served by claim-check from the blob store, whole or by byte range, to the
/// callers who may see the customer, over a real socket.
@Suite("Recordings on the read API", .serialized)
struct RecordingTests {
    static let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }

    static func withServer(_ name: String, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let blobs = try LocalBlobStoreFixture.make()
        let key = "2025/11/rec-1.wav"
        let path = (blobs.root as NSString).appendingPathComponent(key)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        // A second recording whose stored bytes are not the ones its event describes.
        let tamperedPath = (blobs.root as NSString).appendingPathComponent("tampered.wav")
        try Data(bytes.reversed()).write(to: URL(fileURLWithPath: tamperedPath))
        // What the altered recording's event claims: another content, so no cached copy answers for it.
        let claimed = SHA256.hash(data: bytes + [0]).map { String(format: "%02x", $0) }.joined()
        let lost = SHA256.hash(data: bytes + [1]).map { String(format: "%02x", $0) }.joined()
        func received(_ id: String, uri: String, sha: String) -> ProjectedEvent {
            ProjectedEvent(.interaction(InteractionReceived(
                interactionId: id, customerId: "C-A", channel: .hotlineCall, businessLine: "wealth", occurredAt: ReadFixture.at(hours: 1),
                receivedAt: ReadFixture.at(hours: 1.01),
                audio: AudioReference(uri: uri, sizeBytes: Int64(bytes.count), mediaType: "audio/wav", sha256: sha))), eventId: id)
        }
        try await ReadFixture.withStore(name) { store in
            try await ProjectionTests.apply(ReadFixture.events + [received("rec 1/录音", uri: blobs.uri(forKey: key), sha: sha),
                                                                 received("rec-tampered", uri: blobs.uri(forKey: "tampered.wav"), sha: claimed),
                                                                 received("rec-lost", uri: blobs.uri(forKey: "never-stored.wav"), sha: lost)],
                                            to: store, batch: 50)
            let router = Router()
            let responder = RecordingResponder(recordings: RecordingRepository(store: store),
                                               files: RecordingFiles(blobs: blobs, directory: LocalBlobStoreFixture.cache()))
            DigestAPI<BasicRequestContext>(auth: ReadAuth(key: AccessTests.key), digests: DigestRepository(store: store), recordings: responder,
                                           timeZone: ProjectionTests.zone, size: 10).addRoutes(to: router)
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
                try await body(client)
            }
        }
    }

    static let path = "/v1/recordings/rec%201%2F%E5%BD%95%E9%9F%B3"

    @Test("whole, a range, an open range and a suffix; 416 past the end or malformed")
    func ranges() async throws {
        try await Self.withServer("recordingranges") { client in
            let owner = try AccessTests.bearer(.advisor, "adv-1")
            let whole = try await client.execute(uri: Self.path, method: .get, headers: owner)
            #expect(whole.status == .ok)
            #expect(Array(buffer: whole.body) == Self.bytes)
            #expect(whole.headers[.acceptRanges] == "bytes" && whole.headers[.contentType] == "audio/wav")
            func ranged(_ range: String) async throws -> TestResponse {
                var headers = owner
                headers[.range] = range
                return try await client.execute(uri: Self.path, method: .get, headers: headers)
            }
            let middle = try await ranged("bytes=100-199")
            #expect(middle.status == .partialContent)
            #expect(middle.headers[.contentRange] == "bytes 100-199/5000")
            #expect(Array(buffer: middle.body) == Array(Self.bytes[100...199]))
            let open = try await ranged("bytes=4990-")
            #expect(open.status == .partialContent && open.headers[.contentRange] == "bytes 4990-4999/5000")
            #expect(Array(buffer: open.body) == Array(Self.bytes[4990...]))
            let suffix = try await ranged("bytes=-10")
            #expect(suffix.status == .partialContent && Array(buffer: suffix.body) == Array(Self.bytes[4990...]))
            let beyond = try await ranged("bytes=4999-9999")
            #expect(beyond.status == .partialContent && beyond.headers[.contentRange] == "bytes 4999-4999/5000")
            for bad in ["bytes=5000-", "bytes=200-100", "bytes=abc", "bytes=-0"] {
                let refused = try await ranged(bad)
                #expect(refused.status == .rangeNotSatisfiable, "\(bad)")
                #expect(refused.headers[.contentRange] == "bytes */5000", "\(bad)")
            }
        }
    }

    @Test("another advisor's customer, a missing token, a lost or altered recording")
    func refusals() async throws {
        try await Self.withServer("recordingrefusals") { client in
            #expect(try await client.execute(uri: Self.path, method: .get, headers: try AccessTests.bearer(.advisor, "adv-2")).status == .notFound)
            #expect(try await client.execute(uri: Self.path, method: .get).status == .unauthorized)
            let manager = try AccessTests.bearer(.manager, "boss")
            #expect(try await client.execute(uri: Self.path, method: .get, headers: manager).status == .ok)
            #expect(try await client.execute(uri: "/v1/recordings/i-2", method: .get, headers: manager).status == .notFound)
            #expect(try await client.execute(uri: "/v1/recordings/rec-lost", method: .get, headers: manager).status == .notFound)
            let altered = try await client.execute(uri: "/v1/recordings/rec-tampered", method: .get, headers: manager)
            #expect(altered.status == .badGateway && altered.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("Range headers read as RFC 9110 says")
    func parsing() {
        #expect(ByteRange(header: nil, size: 10) == .whole)
        #expect(ByteRange(header: "items=1-2", size: 10) == .whole)
        #expect(ByteRange(header: "bytes=0-1,4-5", size: 10) == .whole)
        #expect(ByteRange(header: "bytes=0-0", size: 10) == .part(lower: 0, upper: 0))
        #expect(ByteRange(header: "bytes=-20", size: 10) == .part(lower: 0, upper: 9))
        #expect(ByteRange(header: "bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=1-x", size: 10) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-", size: 10) == .unsatisfiable)
    }
}
