import Analyze
import Foundation
import Ingest
import Notify
import Projector
import Route
import Testing
import VOCServiceTestSupport
import VOCStore

/// Least privilege on a real server: each service migrates as its own role into its own
/// schema, as under `voc up` and compose, and cannot read or write another's tables.
@Suite("Database roles")
struct DatabaseRolesTests {
    /// A service, its migrations and one table they create.
    struct Owner {
        var role: DatabaseRole
        var component: String
        var migrations: [Migration]
        var table: String
    }

    static func owners() throws -> [Owner] {
        [
            Owner(role: .ingest, component: IngestApp.component, migrations: try IngestApp.migrations(), table: "ingest_recordings"),
            Owner(role: .analyze, component: AnalyzeApp.component, migrations: try AnalyzeApp.migrations(), table: "analyze_terms"),
            Owner(role: .route, component: RouteApp.component, migrations: try RouteApp.migrations(), table: "tickets"),
            Owner(role: .notify, component: NotifyApp.component, migrations: try NotifyApp.migrations(), table: "notify_deliveries"),
            Owner(role: .projector, component: ProjectorApp.component, migrations: try ProjectorApp.migrations(),
                  table: "timeline_entries"),
        ]
    }

    /// What the server said when `body` failed, in the words an operator's command prints
    /// (``StoreError/explaining(_:doing:)``), or nil when it did not fail.
    static func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(StoreError.explaining(error, doing: "the statement"))"
        }
    }

    @Test("each service migrates into its own schema, uses its tables, and is refused every other service's tables")
    func isolation() async throws {
        let database = try TestPostgres.provisionedDatabase("roles")
        let owners = try Self.owners()
        for owner in owners {
            try await withRunningStore(database.serving(owner.role)) { store in
                try await store.migrate(component: owner.component, owner.migrations)
                #expect(try await store.rows(SQL.unsafe("SELECT count(*)::int8 FROM \(owner.table)"), as: Int.self) == [0])
                #expect(try await store.execute("INSERT INTO applied_events (consumer, event_id) VALUES ('own', 'e-1') RETURNING 1") == 1)
                let schema = try await store.rows(SQL.unsafe(
                    "SELECT schemaname::text FROM pg_tables WHERE tablename = '\(owner.table)'"), as: String.self)
                #expect(schema == [owner.role.schema], "\(owner.role) put \(owner.table) in \(schema)")
            }
        }
        for owner in owners {
            try await withRunningStore(database.serving(owner.role)) { store in
                for other in owners where other.role != owner.role {
                    let read = await Self.refusal {
                        _ = try await store.rows(SQL.unsafe("SELECT count(*)::int8 FROM \(other.role.schema).\(other.table)"), as: Int.self)
                    }
                    #expect(read?.contains("permission denied") == true, "\(owner.role) read \(other.role)'s \(other.table): \(read ?? "allowed")")
                    let write = await Self.refusal {
                        try await store.execute(SQL.unsafe(
                            "INSERT INTO \(other.role.schema).applied_events (consumer, event_id) VALUES ('intruder', 'e-2')"))
                    }
                    #expect(write?.contains("permission denied") == true, "\(owner.role) wrote \(other.role)'s ledger: \(write ?? "allowed")")
                }
            }
        }
        // The pair the brief of this test names, with a statement each way that would
        // matter: analyze opening a work order, route reading analyze's corpus.
        try await withRunningStore(database.serving(.analyze)) { store in
            let insert = await Self.refusal {
                try await store.execute("""
                    INSERT INTO voc_route.route_outbox (event_id, topic, record_key, value, header_names, header_values)
                    VALUES ('forged', 'voc.ticket.event.v1', 'C-1', '\\x00', '{}', '{}')
                    """)
            }
            #expect(insert?.contains("permission denied for schema voc_route") == true, "\(insert ?? "allowed")")
        }
        try await withRunningStore(database.serving(.route)) { store in
            let read = await Self.refusal { _ = try await store.rows("SELECT count(*)::int8 FROM voc_analyze.analyze_corpus", as: Int.self) }
            #expect(read?.contains("permission denied for schema voc_analyze") == true, "\(read ?? "allowed")")
        }
        let left = try await withRunningStore(database) { store in
            try await store.rows("SELECT count(*)::int8 FROM voc_route.applied_events WHERE consumer = 'intruder'", as: Int.self)
        }
        #expect(left == [0])
    }

    @Test("the operator role reads route's ledger and the timeline's ids, not the customers' words nor route's tickets")
    func operatorReads() async throws {
        let database = try TestPostgres.provisionedDatabase("operator")
        for owner in try Self.owners() where DatabaseRole.operatorReads.contains(owner.role) {
            try await withRunningStore(database.serving(owner.role)) { store in
                try await store.migrate(component: owner.component, owner.migrations)
            }
        }
        try await withRunningStore(database.serving(.projector)) { store in
            try await store.execute("INSERT INTO timeline_entries (entry_id, customer_id, interaction_seen, summary) VALUES ('i-1', 'C-1', true, 'words')")
        }
        try await withRunningStore(database.serving(.operator)) { (store: Store) async throws in
            #expect(try await store.rows("SELECT entry_id FROM voc_projector.timeline_entries WHERE interaction_seen", as: String.self) == ["i-1"])
            #expect(try await store.rows("SELECT count(*)::int8 FROM voc_route.applied_events", as: Int.self) == [0])
            for forbidden in ["SELECT summary FROM voc_projector.timeline_entries", "SELECT * FROM voc_projector.customer_profiles",
                              "SELECT ticket_id FROM voc_route.tickets", "SELECT count(*) FROM voc_analyze.analyze_terms"] {
                let refused = await Self.refusal { _ = try await store.rows(SQL.unsafe(forbidden), as: String.self) }
                #expect(refused?.contains("permission denied") == true, "\(forbidden): \(refused ?? "allowed")")
            }
            let write = await Self.refusal { try await store.execute("DELETE FROM voc_route.applied_events") }
            #expect(write?.contains("permission denied") == true, "\(write ?? "allowed")")
        }
    }
}
