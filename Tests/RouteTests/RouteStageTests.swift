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

/// Route on the embedded broker: the outbox publishes each event once even when the
/// process that committed the state died before publishing, and the whole service turns
/// an insight on its topic into ticket events and notifications, served by the API.
@Suite("Route stage on the embedded broker", .serialized)
struct RouteStageTests {
    @Test("outbox: state committed by a process that died before publishing goes out once, when the next relay runs")
    func outboxSurvivesKill() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        for topic in [Topic.ticketEvent, .notificationRequested] { try broker.createTopic(topic.rawValue, partitions: 1) }
        try await TicketFlowTests.withRoute("outbox") { route in
            // The first process commits the ticket and its events, and is gone before its relay runs.
            let ticket = try #require(try await route.handler.apply(
                makeInsight(id: "k1", categories: ["fees_interest"], risk: 0.9, signals: ["regulator_threat"])))
            #expect(try await readTopic(Topic.ticketEvent.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2).isEmpty)
            #expect(try await route.store.rows("SELECT count(*) FROM route_outbox WHERE sent_at IS NULL", as: Int.self) == [2])

            // The restarted process: a new producer, a new relay.
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
            let relay = OutboxRelay(store: route.store, producer: producer, logger: testLogger)
            #expect(try await relay.relayOnce() == 2)
            #expect(try await relay.relayOnce() == 0)
            // Another replica's relay finds nothing left to send.
            let other = OutboxRelay(
                store: route.store,
                producer: try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger),
                logger: testLogger)
            #expect(try await other.relayOnce() == 0)

            let records = try await readTopic(Topic.ticketEvent.rawValue, bootstrap: broker.bootstrap, count: 3, seconds: 5)
            #expect(records.count == 2)
            let events = try records.map { try $0.decode(TicketEvent.self) }
            #expect(events.map(\.0.kind) == [.opened, .assigned])
            #expect(events.allSatisfy { $0.0.ticketId == ticket.ticketId && $0.1.id == $0.0.eventId && $0.1.source == RouteApp.source })
            #expect(Set(events.map(\.0.eventId)).count == 2)
            #expect(records.allSatisfy { $0.key == Array(ticket.ticketId.utf8) })
        }
    }

    @Test("end to end: insight on the broker → ticket events and an owner notification; the API answers 412 to a stale If-Match")
    func endToEnd() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let configuration = RouteConfiguration(
            common: CommonSettings(kafkaBrokers: broker.bootstrap), store: try TestPostgres.database("routeapi"),
            group: "route-\(UUID().uuidString)", outboxInterval: .milliseconds(20),
            departmentTokens: ["cp-token": "consumer_protection", "co-token": "compliance"])
        let cp: HTTPFields = [.authorization: "Bearer cp-token"]
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test/analyze")
        try await publisher.publish(CustomerUpdated(updateId: "cu-1", customerId: "C-api", advisorId: "adv-9",
                                                    relationshipManagerId: "rm-9", updatedAt: Date(timeIntervalSince1970: 1_763_000_000)))
        let insight = makeInsight(id: "e2e-1", customer: "C-api", categories: ["fees_interest"], risk: 0.9, signals: ["regulator_threat"],
                                  occurredAt: Date())
        let store = Store(configuration: configuration.store, logger: testLogger)

        try await RouteApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await store.run() }
                defer { tasks.cancelAll() }
                // The two topics are consumed independently: the insight goes out once the owners are known.
                let known = try await eventually {
                    try? await store.rows("SELECT COALESCE(advisor_id, '') FROM route_customers WHERE customer_id = 'C-api'", as: String.self).first
                }
                #expect(known == "adv-9")
                try await publisher.publish(insight)
                let records = try await readTopic(Topic.ticketEvent.rawValue, bootstrap: broker.bootstrap, count: 2)
                let events = try records.map { try $0.decode(TicketEvent.self).0 }
                #expect(events.map(\.kind) == [.opened, .assigned])
                let ticketId = try #require(events.first?.ticketId)
                #expect(events.first?.priority == "urgent" && events.first?.department == "consumer_protection")
                #expect(events.first?.regulatoryDueAt != nil && events.first?.dueAt != nil)

                let notices = try await readTopic(Topic.notificationRequested.rawValue, bootstrap: broker.bootstrap, count: 1)
                let notice = try #require(try notices.first.map { try $0.decode(NotificationRequested.self).0 })
                #expect(notice.recipient == .init(role: "advisor", id: "adv-9") && notice.ticketId == ticketId)

                let read = try await client.execute(uri: "/v1/tickets/\(ticketId)", method: .get, headers: cp)
                #expect(read.status == .ok)
                #expect(read.headers[.eTag] == "\"2\"")

                let started = try await client.execute(uri: "/v1/tickets/\(ticketId)/start", method: .post,
                                                       headers: cp.merging([.ifMatch: "\"2\""]))
                #expect(started.status == .ok)
                #expect(started.headers[.eTag] == "\"3\"")

                let stale = try await client.execute(uri: "/v1/tickets/\(ticketId)/assign", method: .post,
                                                     headers: cp.merging([.ifMatch: "\"2\"", .contentType: "application/json"]),
                                                     body: ByteBuffer(string: #"{"assigneeId":"cp-agent-1"}"#))
                #expect(stale.status == .preconditionFailed)
                #expect(stale.headers[.contentType] == "application/problem+json")

                let unconditional = try await client.execute(uri: "/v1/tickets/\(ticketId)/close", method: .post, headers: cp)
                #expect(unconditional.status == .preconditionRequired)
                let missingCode = try await client.execute(uri: "/v1/tickets/\(ticketId)/resolve", method: .post,
                                                           headers: cp.merging([.ifMatch: "\"3\""]))
                #expect(missingCode.status == .unprocessableContent)
                #expect(String(buffer: missingCode.body).contains("resolutionCode"))
                let wrongMove = try await client.execute(uri: "/v1/tickets/\(ticketId)/confirm", method: .post,
                                                         headers: cp.merging([.ifMatch: "\"3\""]))
                #expect(wrongMove.status == .conflict)

                let list = try await client.execute(uri: "/v1/tickets?department=consumer_protection&status=in_progress", method: .get,
                                                    headers: cp)
                #expect(String(buffer: list.body).contains(ticketId))
                let none = try await client.execute(uri: "/v1/tickets?department=compliance", method: .get, headers: cp)
                #expect(none.status == .forbidden)

                // Department tokens: none is 401; another department sees neither the ticket nor it in lists.
                #expect(try await client.execute(uri: "/v1/tickets/\(ticketId)", method: .get).status == .unauthorized)
                let compliance: HTTPFields = [.authorization: "Bearer co-token"]
                #expect(try await client.execute(uri: "/v1/tickets/\(ticketId)", method: .get, headers: compliance).status == .notFound)
                let theirs = try await client.execute(uri: "/v1/tickets", method: .get, headers: compliance)
                #expect(theirs.status == .ok && !String(buffer: theirs.body).contains(ticketId))
                let foreign = try await client.execute(uri: "/v1/tickets/\(ticketId)/close", method: .post,
                                                       headers: compliance.merging([.ifMatch: "\"3\""]))
                #expect(foreign.status == .notFound)

                let all = try await readTopic(Topic.ticketEvent.rawValue, bootstrap: broker.bootstrap, count: 3)
                #expect(try all.map { try $0.decode(TicketEvent.self).0.kind } == [.opened, .assigned, .started])
            }
        }
    }
}

extension HTTPFields {
    /// These fields with `other`'s added.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}
