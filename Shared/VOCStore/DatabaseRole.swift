import Foundation

/// The PostgreSQL role a part of the platform connects as. Each owns a schema of the same
/// name that no other role may use, so a service with a leaked password or an injected
/// statement can reach only its own tables.
public enum DatabaseRole: String, CaseIterable, Sendable {
    case ingest = "voc_ingest"
    case analyze = "voc_analyze"
    case route = "voc_route"
    case notify = "voc_notify"
    case projector = "voc_projector"
    /// The operator commands: `voc replay` keeps its ledger here; `voc verify` reads the
    /// two columns and the table it is granted (``operatorReads``), nothing else.
    case `operator` = "voc_ops"

    /// The schema the role owns; its tables live there (the role's `search_path`).
    public var schema: String { rawValue }

    /// Schemas the operator role may look into. Usage alone reads nothing: the owning
    /// service's migrations grant it `SELECT` on exactly what `voc verify` counts
    /// (route's ledger, the timeline's ids).
    public static let operatorReads: [DatabaseRole] = [.route, .projector]

    /// The statements that create every role and its schema, or bring them up to date.
    /// Safe to run again; they must run as a superuser (or a role that may create roles
    /// and is a member of each), connected to the platform's database.
    /// - Parameter passwords: Each role's login password; a role left out keeps the one
    ///   it has (none when new, for a server that trusts local connections).
    public static func provisioning(passwords: [DatabaseRole: String] = [:]) -> [String] {
        var statements = [
            // Before PostgreSQL 15 every role could create tables in `public`; a service
            // must not be able to leave tables where others can reach them.
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        ]
        for role in allCases {
            statements += [
                "DO $$ BEGIN CREATE ROLE \(role.rawValue) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "ALTER ROLE \(role.rawValue) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                    + (passwords[role].map { " PASSWORD \(literal($0))" } ?? ""),
                "ALTER ROLE \(role.rawValue) SET search_path = \(role.schema)",
                "CREATE SCHEMA IF NOT EXISTS \(role.schema) AUTHORIZATION \(role.rawValue)",
                "REVOKE ALL ON SCHEMA \(role.schema) FROM PUBLIC",
            ]
        }
        statements += operatorReads.map { "GRANT USAGE ON SCHEMA \($0.schema) TO \(DatabaseRole.operator.rawValue)" }
        return statements
    }

    /// A string constant for a statement that takes no bind parameters (`ALTER ROLE`):
    /// quotes doubled, as `standard_conforming_strings` (on since PostgreSQL 9.1) reads them.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
