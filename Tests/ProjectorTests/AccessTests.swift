import Foundation
import Hummingbird
import HummingbirdTesting
import Projector
import Testing
import VOCServiceTestSupport
import VOCStore

/// The read API by role, against the crafted week in PostgreSQL.
@Suite("Read API access by role", .serialized)
struct AccessTests {
    static let key = try! ReadTokenKey(secret: "access-test-secret-of-thirty-two-bytes")

    static func bearer(_ role: ReadToken.Role, _ subject: String, department: String? = nil, sensitive: Bool = false,
                       expiresIn: TimeInterval = 600, key: ReadTokenKey = key) throws -> HTTPFields {
        let token = try key.sign(ReadToken(subject: subject, role: role, department: department, sensitive: sensitive,
                                           expiresAt: Date().addingTimeInterval(expiresIn)))
        return [.authorization: "Bearer \(token)"]
    }

    static func withAPI(_ name: String, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await ReadFixture.withStore(name) { store in
            try await ProjectionTests.apply(ReadFixture.events, to: store, batch: 50)
            let router = Router()
            ReadAPI<BasicRequestContext>(store: store, auth: ReadAuth(key: key), timeZone: ProjectionTests.zone, dueSoon: 4 * 3600)
                .addRoutes(to: router)
            try await Application(router: router).test(.router) { client in try await body(client) }
        }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("an advisor reads their own customer and gets 404 for another's; a manager reads both")
    func owners() async throws {
        try await Self.withAPI("accessowners") { client in
            let own = try Self.bearer(.advisor, "adv-1")
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: own).status == .ok)
            #expect(try await client.execute(uri: "/v1/customers/C-A/timeline", method: .get, headers: own).status == .ok)
            let other = try Self.bearer(.advisor, "adv-2")
            let refused = try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: other)
            #expect(refused.status == .notFound)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try await client.execute(uri: "/v1/customers/C-A/timeline", method: .get, headers: other).status == .notFound)
            let list = try Self.json(try await client.execute(uri: "/v1/customers", method: .get, headers: other))
            #expect((list["customers"] as? [[String: Any]])?.compactMap { $0["customerId"] as? String } == [ReadFixture.odd])
            let manager = try Self.bearer(.manager, "boss")
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: manager).status == .ok)
            let all = try Self.json(try await client.execute(uri: "/v1/customers?limit=1", method: .get, headers: manager))
            #expect((all["customers"] as? [Any])?.count == 1 && all["nextCursor"] is String)
            // The relationship manager of C-A sees C-A; department staff see the customers their department has tickets for.
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: try Self.bearer(.relationshipManager, "rm-1")).status == .ok)
            let staff = try Self.bearer(.departmentStaff, "s-1", department: "card_operations")
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: staff).status == .notFound)
        }
    }

    @Test("health facts only with the sensitive right and the customer's consent; hints never name a hidden fact")
    func sensitiveFacts() async throws {
        try await Self.withAPI("accesssensitive") { client in
            let plain = try Self.json(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: try Self.bearer(.advisor, "adv-1")))
            let plainFacts = (plain["profileFacts"] as? [[String: Any]])?.compactMap { $0["fact"] as? String }
            #expect(plainFacts == ["travel.fear_of_flying"])
            #expect(plain["hiddenSensitiveFacts"] as? Int == 1)
            let hints = plain["suitability"] as? [[String: Any]] ?? []
            let wine = hints.first { $0["hint"] as? String == "no_wine" }
            #expect(wine != nil && wine?["basis"] == nil)
            #expect(hints.contains { $0["hint"] as? String == "no_airport_lounge" && $0["basis"] as? String == "travel.fear_of_flying" })

            let entitled = try Self.json(try await client.execute(uri: "/v1/customers/C-A", method: .get,
                                                                  headers: try Self.bearer(.advisor, "adv-1", sensitive: true)))
            let facts = (entitled["profileFacts"] as? [[String: Any]]) ?? []
            #expect(facts.contains { $0["fact"] as? String == "health.hypertension" && $0["evidence"] as? String == "我血压高" })
            #expect(entitled["hiddenSensitiveFacts"] as? Int == 0)

            // The right is not enough without the customer's separate consent (客户 A/1 refused it).
            let path = "/v1/customers/%E5%AE%A2%E6%88%B7%20A%2F1"
            let noConsent = try Self.json(try await client.execute(uri: path, method: .get, headers: try Self.bearer(.manager, "m", sensitive: true)))
            #expect((noConsent["profileFacts"] as? [Any])?.isEmpty == true && noConsent["hiddenSensitiveFacts"] as? Int == 1)
        }
    }

    @Test("no token, an expired one and a forged one are 401")
    func unauthenticated() async throws {
        try await Self.withAPI("accesstokens") { client in
            for uri in ["/v1/customers/C-A", "/v1/customers/C-A/timeline", "/v1/ticket-queue", "/v1/trends", "/v1/me"] {
                let none = try await client.execute(uri: uri, method: .get)
                #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let expired = try Self.bearer(.manager, "boss", expiresIn: -120)
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: expired).status == .unauthorized)
            let forged = try Self.bearer(.manager, "boss", key: try ReadTokenKey(secret: "another-secret-of-at-least-32-bytes!"))
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: forged).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/customers/C-A", method: .get, headers: try Self.bearer(.manager, "boss")).status == .ok)
        }
    }

    @Test("department staff see their department's queue only; another department's filter is 403")
    func queue() async throws {
        try await Self.withAPI("accessqueue") { client in
            let staff = try Self.bearer(.departmentStaff, "s-1", department: "card_operations")
            let page = try Self.json(try await client.execute(uri: "/v1/ticket-queue", method: .get, headers: staff))
            #expect((page["tickets"] as? [[String: Any]])?.compactMap { $0["ticketId"] as? String } == ["tk-2"])
            #expect(try await client.execute(uri: "/v1/ticket-queue?department=wealth_ops", method: .get, headers: staff).status == .forbidden)
            let manager = try Self.bearer(.manager, "boss")
            let breached = try Self.json(try await client.execute(uri: "/v1/ticket-queue?sla=breached", method: .get, headers: manager))
            #expect((breached["tickets"] as? [[String: Any]])?.compactMap { $0["ticketId"] as? String } == ["tk-1"])
            let bad = try await client.execute(uri: "/v1/ticket-queue?sla=late&limit=0", method: .get, headers: manager)
            #expect(bad.status == .unprocessableContent)
            let fields = (try Self.json(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["sla", "limit"])
            // An empty cursor is not one this API hands out.
            let empty = try await client.execute(uri: "/v1/ticket-queue?cursor=", method: .get, headers: manager)
            #expect((try Self.json(empty)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["cursor"])
            // An advisor's queue holds their customers' tickets.
            let advisor = try Self.json(try await client.execute(uri: "/v1/ticket-queue", method: .get, headers: try Self.bearer(.advisor, "adv-2")))
            #expect((advisor["tickets"] as? [[String: Any]])?.compactMap { $0["ticketId"] as? String } == ["tk-2"])
        }
    }
}
