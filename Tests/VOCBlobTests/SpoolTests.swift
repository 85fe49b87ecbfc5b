import Crypto
import Foundation
import Testing
import VOCBlob

@Suite("Spooling and the local blob store")
struct SpoolTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-spool-\(UUID().uuidString)").path

    @Test("a spool file measures and hashes what is written, and the store keeps it whole")
    func spoolAndStore() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try LocalBlobStore(root: folder)
        let spool = try SpoolFile(directory: store.spoolDirectory, limit: 1_000_000)
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for chunk in stride(from: 0, to: bytes.count, by: 65_536) {
            try bytes[chunk..<min(bytes.count, chunk + 65_536)].withUnsafeBytes { try spool.write($0) }
        }
        let finished = try spool.finish()
        #expect(finished.size == 300_000)
        #expect(finished.sha256 == Array(SHA256.hash(data: Data(bytes))).hexString)
        #expect(finished.head == Array(bytes.prefix(SpoolFile.headLength)))

        let uri = try await store.put(finished, key: "audio/x/one.bin", mediaType: "application/octet-stream")
        #expect(uri == store.uri(forKey: "audio/x/one.bin") && uri.hasPrefix("file:///"))
        #expect(!FileManager.default.fileExists(atPath: finished.path))
        #expect(try await store.exists(uri))
        let copy = folder + "/copy.bin"
        try await store.download(uri, to: copy, expectedSize: 300_000, expectedSHA256: finished.sha256)
        await #expect(throws: BlobError.self) {
            try await store.download(uri, to: copy, expectedSize: nil, expectedSHA256: String(repeating: "0", count: 64))
        }
        try await store.delete(uri)
        #expect(try await !store.exists(uri))
        try await store.delete(uri)  // deleting twice is fine
    }

    @Test("writing past the limit fails before the bytes land")
    func limit() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spool = try SpoolFile(directory: folder, limit: 10)
        try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try spool.write($0) }
        #expect(throws: BlobError.self) { try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try spool.write($0) } }
        #expect(spool.size == 8)
        spool.discard()
        #expect(!FileManager.default.fileExists(atPath: spool.path))
    }

    @Test("the local store refuses keys and URIs outside its folder")
    func confinement() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try LocalBlobStore(root: folder)
        await #expect(throws: BlobError.self) { try await store.download("file:///etc/passwd", to: folder + "/x") }
        await #expect(throws: BlobError.self) { try await store.download("file://\(folder)/../escape", to: folder + "/x") }
        await #expect(throws: BlobError.self) { try await store.exists("s3://bucket/key") }
        let spool = try SpoolFile(directory: store.spoolDirectory, limit: 10)
        let finished = try spool.finish()
        await #expect(throws: BlobError.self) { try await store.put(finished, key: "../x", mediaType: "a/b") }
    }
}
