import Configuration
import Foundation
import VOCStore

extension StoreConfiguration {
    /// Reads `postgres.url`, `postgres.passwordFile` and `postgres.maxConnections`.
    ///
    /// A URL without a user connects as `role`; a URL without a password takes the one in
    /// `postgres.passwordFile`, read only when private to its owner (``SecretFile``), so the
    /// password need not sit in the environment.
    /// - Throws: ``StoreError`` for a malformed URL, ``SecretFile/Refusal`` for a password
    ///   file that others may read or that cannot be read.
    public init(config: ConfigReader, role: DatabaseRole) throws {
        try self.init(
            url: config.string(forKey: "postgres.url", isSecret: true, default: StoreConfiguration.defaultURL),
            role: role, maxConnections: config.int(forKey: "postgres.maxConnections", default: 10))
        let passwordFile = config.string(forKey: "postgres.passwordFile", default: "")
        if password == nil, !passwordFile.isEmpty {
            let data = try SecretFile.read(passwordFile, setting: "postgres.passwordFile")
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
