import Foundation
import Testing
import VOCServiceTestSupport
import VOCStore

@Suite("Local PostgreSQL cluster")
struct LocalPostgresTests {
    @Test("as root, a cluster asked for under a folder the postgres user cannot enter starts elsewhere and says where",
          .enabled(if: getuid() == 0, "only root runs the server as another user"))
    func unreachableFolder() throws {
        let closed = FileManager.default.temporaryDirectory.appendingPathComponent("voc-closed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: closed, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: closed) }
        let requested = closed.appendingPathComponent("checkout/.voc/pg")
        let cluster = try LocalPostgres(dataDirectory: requested, port: TestPostgres.freePort(), logger: testLogger)
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: cluster.dataDirectory)
        }
        #expect(cluster.dataDirectory.path != requested.path)
        #expect(cluster.dataDirectory.path.hasPrefix("/var/lib/voc/clusters/"))
        try cluster.start()
        try cluster.createDatabase("voc")
        // The same request finds the same cluster again.
        let again = try LocalPostgres(dataDirectory: requested, port: cluster.port, logger: testLogger)
        #expect(again.dataDirectory.path == cluster.dataDirectory.path)
    }
}
