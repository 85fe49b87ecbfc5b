import ArgumentParser
import Configuration
import Foundation
import Logging
import VOCRuntime
import VOCStore

/// `voc db-roles`: the administrator's step before the services first start (compose
/// runs it as a one-shot job; `voc up` and the tests do the same on their own cluster):
/// creates each service's role and schema and sets the roles' passwords.
struct DatabaseRoles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-roles",
        abstract: "Create or update each service's PostgreSQL role and schema (run as a superuser).",
        discussion: """
            Roles: \(DatabaseRole.allCases.map(\.rawValue).joined(separator: ", ")); each owns the schema of its name \
            and no other role may use it (docs/operations.md#database-roles). Safe to run again: it sets the \
            passwords again and leaves tables alone.
            """)

    @Option(help: "A superuser's URL (default: postgres.adminUrl of the configuration).")
    var adminURL: String?

    @Option(help: "Folder with one password file per role, named like the role and private to its owner (default: postgres.rolePasswordsDir). Without one, the roles get no password: for a server that trusts local connections only.")
    var passwords: String?

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-db-roles")
        let reader = try await Settings.reader()
        guard let url = adminURL ?? reader.string(forKey: "postgres.adminUrl", isSecret: true) else {
            throw ValidationError("no administrator URL: pass --admin-url or set VOC_POSTGRES_ADMIN_URL")
        }
        let folder = passwords ?? reader.string(forKey: "postgres.rolePasswordsDir")
        let secrets = try folder.map(Self.readPasswords) ?? [:]
        let store = Store(configuration: try StoreConfiguration(url: url, maxConnections: 1), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await store.run() }
            defer { tasks.cancelAll() }
            try await store.provisionRoles(passwords: secrets)
        }
        print("roles \(DatabaseRole.allCases.map(\.rawValue).joined(separator: ", ")) ready in \(store.configuration.database)"
              + (secrets.isEmpty ? " (no passwords set)" : ", passwords set"))
    }

    /// Every role's password from `folder/<role>`; a missing, empty or shared file is an
    /// error, so no role is left without the password its service will present.
    static func readPasswords(from folder: String) throws -> [DatabaseRole: String] {
        var passwords: [DatabaseRole: String] = [:]
        for role in DatabaseRole.allCases {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(role.rawValue).path
            let data = try SecretFile.read(path, setting: "postgres.rolePasswordsDir")
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !password.isEmpty else { throw ValidationError("postgres.rolePasswordsDir \(path) is empty") }
            passwords[role] = password
        }
        return passwords
    }
}
