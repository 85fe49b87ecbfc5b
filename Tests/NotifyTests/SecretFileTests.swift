import Foundation
@testable import Notify
import Testing

@Suite("Notify's secrets")
struct SecretFileTests {
    @Test("the directory file is refused while group or others may read it, naming the setting, path and mode")
    func directoryMode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("directory-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"recipients":[{"id":"ADV-1","webhook":{"url":"https://crm.example/hook","secrets":["whsec_x"]}}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try DirectoryFile.load(path: path)
            Issue.record("a directory file of mode 644 was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("notify.directoryFile") && text.contains(path) && text.contains("mode is 644"), "\(text)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try DirectoryFile.load(path: path).recipients.map(\.id) == ["ADV-1"])
    }

    @Test("an inbox token's digest is matched among the candidates in constant time; a near miss matches nobody")
    func inboxDigest() {
        let digest = String(repeating: "ab", count: 32)
        let nearMiss = String(digest.dropLast()) + "c"
        let rows = [(id: "P1", digest: nearMiss), (id: "P2", digest: digest)]
        #expect(RecipientRepository.match(digest: digest, among: rows) == "P2")
        #expect(RecipientRepository.match(digest: String(repeating: "0", count: 64), among: rows) == nil)
        #expect(RecipientRepository.match(digest: digest, among: []) == nil)
    }
}
