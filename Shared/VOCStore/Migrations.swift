import Foundation
import Logging
import PostgresNIO

/// One numbered schema change of a component, applied once and in order.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Loads `NNN_name.sql` files from a folder (a target's resources), sorted by number.
    /// - Throws: ``StoreError`` for a file whose name has no number or two files with one.
    public static func load(from directory: URL) throws(StoreError) -> [Migration] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "sql" }
        } catch {
            throw StoreError(code: .migration, message: "cannot read migrations in \(directory.path)", detail: "\(error)")
        }
        var migrations: [Migration] = []
        for file in files {
            let base = file.deletingPathExtension().lastPathComponent
            let parts = base.split(separator: "_", maxSplits: 1)
            guard let number = parts.first.flatMap({ Int($0) }) else {
                throw StoreError(code: .migration, message: "migration \(file.lastPathComponent) must start with a number, e.g. 001_timeline.sql")
            }
            guard let sql = try? String(contentsOf: file, encoding: .utf8) else {
                throw StoreError(code: .migration, message: "cannot read migration \(file.lastPathComponent)")
            }
            migrations.append(Migration(version: number, name: parts.count > 1 ? String(parts[1]) : base, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw StoreError(code: .migration, message: "two migrations are numbered \(next.version): \(previous.name) and \(next.name)")
        }
        return migrations
    }

    /// Loads a component's migrations shipped as the `Migrations` folder of a bundle
    /// (a target's resources: pass `Bundle.module`).
    /// - Throws: ``StoreError`` when the folder is missing or a file is misnamed.
    public static func bundled(in bundle: Bundle, component: String) throws(StoreError) -> [Migration] {
        guard let folder = bundle.url(forResource: "Migrations", withExtension: nil) else {
            throw StoreError(code: .migration, message: "\(component) migrations are missing from the bundle")
        }
        return try load(from: folder)
    }

    /// The statements of the file, split at lines ending in `;` (comment lines dropped).
    var statements: [String] {
        var statements: [String] = []
        var current = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                statements.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }
}

extension Store {
    /// Applies the component's migrations that are not applied yet, all in one
    /// transaction. An advisory lock makes replicas starting together take turns.
    public func migrate(component: String, _ migrations: [Migration]) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7306710)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    component text NOT NULL, version integer NOT NULL, name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))
                """, logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS applied_events (
                    consumer text NOT NULL, event_id text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id))
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM schema_migrations WHERE component = \(component)", logger: logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (component, version, name) VALUES (\(component), \(migration.version), \(migration.name))",
                    logger: logger)
                logger.info("applied migration", metadata: ["component": "\(component)", "version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
}
