import Crypto
import Foundation
import Logging
import Testing
import VOCRuntime
import VOCSchema
@testable import Ingest

@Suite("Secrets: constant-time comparison, private key files")
struct SecretTests {
    @Test("constant-time equality agrees with ==, whatever the lengths and where the bytes differ")
    func constantTime() {
        let digest = Array(SHA256.hash(data: Data("voc_key".utf8)))
        #expect(ConstantTime.equals(digest, digest))
        for index in [0, 15, 31] {
            var other = digest
            other[index] ^= 0x01
            #expect(!ConstantTime.equals(digest, other))
        }
        #expect(!ConstantTime.equals(digest, digest.dropLast()))
        #expect(!ConstantTime.equals(digest.dropLast(), digest))
        #expect(!ConstantTime.equals(digest + [0], digest))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals("token-a", "token-a") && !ConstantTime.equals("token-a", "token-b"))
    }

    @Test("a key is found among every entry, not the first that shares a prefix; a near miss is refused")
    func identifyScansEveryEntry() {
        func entry(_ id: String, _ key: String) -> GatewayKeyring.Keyed {
            GatewayKeyring.Keyed(digest: Array(SHA256.hash(data: Data(key.utf8))),
                                 identity: GatewayIdentity(id: id, channels: [.chat], customers: false, ratePerSecond: 1, burst: 1))
        }
        let keys = [entry("a", "key-a"), entry("b", "key-b"), entry("c", "key-c")]
        #expect(GatewayKeyring.identify(digest: Array(SHA256.hash(data: Data("key-c".utf8))), in: keys)?.id == "c")
        var nearMiss = Array(SHA256.hash(data: Data("key-c".utf8)))
        nearMiss[31] ^= 0x80
        #expect(GatewayKeyring.identify(digest: nearMiss, in: keys) == nil)
        #expect(GatewayKeyring.identify(digest: [], in: keys) == nil)
    }

    @Test("a keys file group or others may read is refused with its setting, path and mode; made private it loads")
    func keysFileMode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try GatewayKeyFile.addGateway("hotline", channels: ["hotline_call"], customers: false, ratePerSecond: 5, to: path)
        let issued = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(issued == 0o600, "voc gateway-key create writes the file private")

        for mode in [0o644, 0o640, 0o604, 0o620] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            do {
                _ = try GatewayKeyring(path: path, defaultRate: 1, defaultBurst: 1, logger: Logger(label: "test"))
                Issue.record("a keys file of mode \(String(mode, radix: 8)) was accepted")
            } catch let error as ValidationError {
                let problem = try #require(error.problems.first)
                #expect(problem.field == "ingest.keysFile")
                #expect(problem.problem.contains(path) && problem.problem.contains("mode is \(String(mode, radix: 8))"))
                #expect(problem.problem.contains("chmod 600"))
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let keyring = try GatewayKeyring(path: path, defaultRate: 1, defaultBurst: 1, logger: Logger(label: "test"))
        #expect(keyring.identify(key: key)?.id == "hotline")
        #expect(keyring.identify(key: String(key.dropLast())) == nil)
    }

    @Test("a missing secret file is refused naming its setting and path")
    func missingFile() {
        #expect(throws: SecretFile.Refusal.self) { try SecretFile.read("/nonexistent/voc-keys.json", setting: "ingest.keysFile") }
        do {
            _ = try SecretFile.read("/nonexistent/voc-keys.json", setting: "ingest.keysFile")
        } catch {
            #expect(error.description.hasPrefix("ingest.keysFile /nonexistent/voc-keys.json: cannot be read"))
        }
    }
}
