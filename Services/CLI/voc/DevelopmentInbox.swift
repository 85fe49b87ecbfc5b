import ArgumentParser
import Crypto
import Foundation
import Route

/// The notify directory `voc up` writes when none is configured: the people `voc demo`
/// names (advisors, relationship managers) and the members of route's department
/// directory, each reachable in the in-app inbox with a token of their own. Without it
/// every owner-sync and escalation of the embedded default would end `failed` (the
/// recipient is not in the directory) and no inbox would ever fill.
enum DevelopmentInbox {
    /// - Returns: the directory file for `notify.directoryFile`, and the file holding
    ///   each person's clear inbox token (mode 600).
    static func ensure(in folder: URL, route: RouteConfiguration) throws -> (directory: String, tokens: String) {
        let directoryFile = folder.appendingPathComponent("notify-directory.json").path
        let tokensFile = folder.appendingPathComponent("inbox-tokens.json").path
        var people = DemoDay.advisorIDs + DemoDay.relationshipManagerIDs
        for department in try RoutingBook.load(route.files()).directory.departments {
            people += department.members.map(\.id)
        }
        // Tokens already handed out stay valid across restarts.
        var tokens = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: tokensFile)))) ?? [:]
        var entries: [[String: Any]] = []
        for id in people where !entries.contains(where: { $0["id"] as? String == id }) {
            let token = tokens[id] ?? newToken()
            tokens[id] = token
            entries.append([
                "id": id, "language": id.hasPrefix("ADV-") || id.hasPrefix("RM-") ? "zh" : "en", "channels": ["inbox"],
                "inboxTokenSha256": SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined(),
            ])
        }
        let tokenData = try JSONSerialization.data(withJSONObject: tokens, options: [.prettyPrinted, .sortedKeys])
        try? FileManager.default.removeItem(atPath: tokensFile)
        guard FileManager.default.createFile(atPath: tokensFile, contents: tokenData, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write the development inbox tokens to \(tokensFile)")
        }
        // Notify refuses a directory file others may read (it can hold webhook secrets and robot keys).
        let directoryData = try JSONSerialization.data(withJSONObject: ["recipients": entries], options: [.prettyPrinted, .sortedKeys])
        try? FileManager.default.removeItem(atPath: directoryFile)
        guard FileManager.default.createFile(atPath: directoryFile, contents: directoryData, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write the development notify directory to \(directoryFile)")
        }
        return (directoryFile, tokensFile)
    }

    private static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return "inbox_" + (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
