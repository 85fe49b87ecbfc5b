import Foundation
import Hummingbird
import HummingbirdTesting
import Route
import Testing
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// The department directory edited through route's API, with route running on the
/// embedded broker and PostgreSQL: checked as the file is, written to the file, in force
/// for the next insight, and kept across a restart.
@Suite("Directory API on the embedded broker", .serialized)
struct DirectoryAPITests {
    @Test("departments are put and removed through the API with If-Match, checked like the file, and route uses them at once")
    func editDirectory() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("route-directory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try RouteApp.seedDirectory(at: folder.appendingPathComponent("directory.json"))
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let configuration = RouteConfiguration(
            common: CommonSettings(kafkaBrokers: broker.bootstrap), store: try TestPostgres.database("routedirectory"),
            group: "route-\(UUID().uuidString)", directoryPath: file.path, outboxInterval: .milliseconds(20),
            departmentTokens: ["all-token": "*", "cp-token": "consumer_protection"])
        let all: HTTPFields = [.authorization: "Bearer all-token", .contentType: "application/json"]
        let cp: HTTPFields = [.authorization: "Bearer cp-token", .contentType: "application/json"]
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test/analyze")

        try await RouteApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            let read = try await client.execute(uri: "/v1/directory", method: .get, headers: cp)
            #expect(read.status == .ok)
            var etag = try #require(read.headers[.eTag])
            #expect(String(buffer: read.body).contains("consumer_protection"))
            #expect(try await client.execute(uri: "/v1/directory", method: .get).status == .unauthorized)

            // Consumer protection's new tickets go to an agent instead of the team lead.
            let protection = #"{"name":"消费者权益保护部","calendar":"cn-office","members":[{"id":"cp-agent-1","role":"agent"},{"id":"cp-lead","role":"team_lead"},{"id":"cp-head","role":"head"}],"escalation":["cp-lead","cp-head"],"defaultAssignee":"cp-agent-1"}"#
            let uri = "/v1/directory/departments/consumer_protection"
            #expect(try await client.execute(uri: uri, method: .put, headers: cp.merging([.ifMatch: etag]),
                                             body: ByteBuffer(string: protection)).status == .forbidden)
            #expect(try await client.execute(uri: uri, method: .put, headers: all, body: ByteBuffer(string: protection)).status
                    == .preconditionRequired)
            #expect(try await client.execute(uri: uri, method: .put, headers: all.merging([.ifMatch: "\"stale\""]),
                                             body: ByteBuffer(string: protection)).status == .preconditionFailed)
            // Checked as the file is: the calendar must exist, and the field is named.
            let badCalendar = protection.replacingOccurrences(of: "cn-office", with: "mars")
            let refused = try await client.execute(uri: uri, method: .put, headers: all.merging([.ifMatch: etag]),
                                                   body: ByteBuffer(string: badCalendar))
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains(#"(consumer_protection).calendar"#))
            let badRole = protection.replacingOccurrences(of: #""role":"head""#, with: #""role":"boss""#)
            #expect(try await client.execute(uri: uri, method: .put, headers: all.merging([.ifMatch: etag]),
                                             body: ByteBuffer(string: badRole)).status == .unprocessableContent)
            // A body that could never apply is refused for what it is, stale tag or not.
            #expect(try await client.execute(uri: uri, method: .put, headers: all.merging([.ifMatch: "\"stale\""]),
                                             body: ByteBuffer(string: badRole)).status == .unprocessableContent)

            let changed = try await client.execute(uri: uri, method: .put, headers: all.merging([.ifMatch: etag]),
                                                   body: ByteBuffer(string: protection))
            #expect(changed.status == .ok)
            etag = try #require(changed.headers[.eTag])
            let added = try await client.execute(
                uri: "/v1/directory/departments/vip_care", method: .put, headers: all.merging([.ifMatch: etag]),
                body: ByteBuffer(string: #"{"name":"贵宾服务","calendar":"cn-contact-centre","members":[{"id":"vip-lead","role":"team_lead"}],"escalation":["vip-lead"]}"#))
            #expect(added.status == .ok)
            etag = try #require(added.headers[.eTag])

            // A rule still sends tickets to consumer protection: it cannot go.
            let inUse = try await client.execute(uri: uri, method: .delete, headers: all.merging([.ifMatch: etag]))
            #expect(inUse.status == .conflict)
            #expect(String(buffer: inUse.body).contains("consumer_protection"))
            let removed = try await client.execute(uri: "/v1/directory/departments/vip_care", method: .delete,
                                                   headers: all.merging([.ifMatch: etag]))
            #expect(removed.status == .ok && !String(buffer: removed.body).contains("vip_care"))
            etag = try #require(removed.headers[.eTag])
            #expect(try await client.execute(uri: "/v1/directory/departments/vip_care", method: .delete,
                                             headers: all.merging([.ifMatch: etag])).status == .notFound)

            // The next regulator threat is assigned as the edited directory says.
            try await publisher.publish(makeInsight(id: "dir-1", customer: "C-dir", categories: ["fees_interest"], risk: 0.9,
                                                    signals: ["regulator_threat"], occurredAt: Date()))
            let events = try await readTopic(Topic.ticketEvent.rawValue, bootstrap: broker.bootstrap, count: 2)
                .map { try $0.decode(TicketEvent.self).0 }
            #expect(events.map(\.kind) == [.opened, .assigned])
            #expect(events.last?.assigneeId == "cp-agent-1")
        }

        // A restart reads the file the API wrote.
        let restarted = try RoutingBookStore(files: try configuration.files(), logger: testLogger)
        #expect(restarted.current().directory.department("consumer_protection")?.defaultAssignee == "cp-agent-1")
        #expect(restarted.current().directory.department("vip_care") == nil)
    }

    @Test("the directory shipped with route is read but not edited")
    func bundledNotEditable() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let configuration = RouteConfiguration(common: CommonSettings(kafkaBrokers: broker.bootstrap),
                                               store: try TestPostgres.database("routedirbundled"), group: "route-\(UUID().uuidString)")
        try await RouteApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            let read = try await client.execute(uri: "/v1/directory", method: .get)
            let etag = try #require(read.headers[.eTag])
            let put = try await client.execute(
                uri: "/v1/directory/departments/vip_care", method: .put, headers: [.ifMatch: etag, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"贵宾服务","calendar":"cn-office","members":[],"escalation":[]}"#))
            #expect(put.status == .conflict)
            #expect(String(buffer: put.body).contains("route.directoryPath"))
        }
    }
}
