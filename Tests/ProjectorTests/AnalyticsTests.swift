import Foundation
import Hummingbird
import HummingbirdTesting
import Projector
import Testing

/// Trends, clusters and scorecards of the crafted week, through the read API.
@Suite("Read API analytics", .serialized)
struct AnalyticsTests {
    @Test("trends count each contact once, under its newest insight, per Shanghai day")
    func trends() async throws {
        try await AccessTests.withAPI("analyticstrends") { client in
            let manager = try AccessTests.bearer(.manager, "boss")
            let body = try AccessTests.json(try await client.execute(uri: "/v1/trends?from=2025-11-10&to=2025-11-20", method: .get,
                                                                     headers: manager))
            let points = (body["points"] as? [[String: Any]] ?? []).map {
                "\($0["day"] ?? "") \($0["businessLine"] ?? "") \($0["category"] ?? "") \($0["contacts"] ?? "")"
            }
            #expect(points == ["2025-11-17 credit_card fees_interest 1", "2025-11-17 wealth fees_interest 1", "2025-11-18 wealth praise 1"])
            let bad = try await client.execute(uri: "/v1/trends?from=2025-11-20&to=2025-11-10", method: .get, headers: manager)
            #expect(bad.status == .unprocessableContent)
            let clusters = try AccessTests.json(try await client.execute(uri: "/v1/clusters?to=2025-11-18&days=7", method: .get,
                                                                         headers: manager))
            let ranked = (clusters["clusters"] as? [[String: Any]] ?? []).map { "\($0["clusterId"] ?? "") \($0["size"] ?? "") \($0["growth"] ?? "")" }
            #expect(ranked == ["k-card-1 1 1", "k-wealth-1 2 1"])
        }
    }

    @Test("scorecards: first-contact resolution, reopen rate, sentiment after contact; agents see their own only")
    func scorecards() async throws {
        try await AccessTests.withAPI("analyticscards") { client in
            let manager = try AccessTests.bearer(.manager, "boss")
            let body = try AccessTests.json(try await client.execute(uri: "/v1/scorecards?from=2025-11-17&to=2025-11-18", method: .get,
                                                                     headers: manager))
            let cards = body["scorecards"] as? [[String: Any]] ?? []
            #expect(cards.compactMap { $0["agentId"] as? String } == ["ag-1", "ag-2"])
            let first = cards.first ?? [:]
            #expect(first["contacts"] as? Int == 2 && first["ticketsOpened"] as? Int == 2)
            #expect(first["firstContactResolution"] as? Double == 0 && first["reopenRate"] as? Double == 0.5)
            #expect(first["sentimentAfterContact"] as? Double == 0.8)
            let second = cards.last ?? [:]
            #expect(second["firstContactResolution"] as? Double == 1 && second["reopenRate"] == nil)

            let advisor = try AccessTests.bearer(.advisor, "ag-1")
            let own = try AccessTests.json(try await client.execute(uri: "/v1/scorecards?from=2025-11-17&to=2025-11-18", method: .get,
                                                                    headers: advisor))
            #expect((own["scorecards"] as? [[String: Any]])?.compactMap { $0["agentId"] as? String } == ["ag-1"])
            #expect(try await client.execute(uri: "/v1/scorecards/ag-2?from=2025-11-17&to=2025-11-18", method: .get, headers: advisor).status == .notFound)
            let staff = try AccessTests.bearer(.departmentStaff, "s", department: "wealth_ops")
            #expect(try await client.execute(uri: "/v1/scorecards", method: .get, headers: staff).status == .forbidden)
        }
    }
}
