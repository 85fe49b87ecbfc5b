import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Projector
import Testing
import VOCServiceTestSupport
import VOCSchema
import VOCStore

/// The 听音会 digest on a crafted month in PostgreSQL.
@Suite("Monthly digest", .serialized)
struct DigestTests {
    static func withDigest(_ name: String, _ body: (DigestRepository) async throws -> Void) async throws {
        try await ReadFixture.withStore(name) { store in
            try await ProjectionTests.apply(DigestFixture.events, to: store, batch: 7)
            try await body(DigestRepository(store: store))
        }
    }

    @Test("each line's sharpest complaint first, one per cluster, recordings preferred, other months and praise left out")
    func ranking() async throws {
        try await Self.withDigest("digestranking") { digests in
            let digest = try await digests.digest(month: DigestFixture.month, scope: .all, perLine: 10)
            #expect(digest.month == "2025-11")
            #expect(digest.lines.map(\.businessLine) == ["consumer_loan", "credit_card", "wealth"])
            for line in digest.lines {
                let expected = DigestFixture.inDigest().filter { $0.line == line.businessLine }
                let sharpest = try #require(expected.max { $0.sharpness < $1.sharpness })
                #expect(line.items.first?.interactionId == sharpest.id, "line \(line.businessLine)")
                #expect(line.complaints == expected.count)
                // One representative per cluster, and every cluster of the line has one (10 is more than any line has).
                let clusters = line.items.map { $0.clusterId ?? $0.interactionId }
                #expect(Set(clusters).count == clusters.count)
                #expect(Set(clusters) == Set(expected.map { $0.cluster ?? $0.id }))
                #expect(line.clusters == clusters.count)
                #expect(line.items.map(\.sharpness) == line.items.map(\.sharpness).sorted(by: >))
                #expect(line.items.map(\.rank) == Array(1...line.items.count))
            }
            let wealth = try #require(digest.lines.last)
            // w4 is sharper than w5, but w5 is a recording and represents W-B; praise (w7) and October's w8 never appear.
            #expect(wealth.items.map(\.interactionId) == ["w6", "w1", "w5", "w10"])
            #expect(wealth.items.first { $0.clusterId == "W-A" }?.clusterComplaints == 4)
            let w5 = try #require(wealth.items.first { $0.interactionId == "w5" })
            let recording = try #require(w5.recording)
            #expect(recording.url == "/v1/recordings/w5" && recording.mediaType == "audio/wav")
            #expect(recording.sizeBytes == 1_000 && recording.durationMs == 9_000)
            let w1 = try #require(wealth.items.first { $0.interactionId == "w1" })
            #expect(w1.tickets.map(\.status) == ["resolved"] && w1.tickets.first?.resolutionCode == "refunded")
            #expect(w1.transcript.last?.text == "w1 投诉，电话 [mobile]")
            #expect(w1.sharpness == 0.86 && w1.clusterLabel == "label W-A")
        }
    }

    @Test("the largest clusters win the places when there are fewer places than clusters")
    func largestClusters() async throws {
        try await Self.withDigest("digestlargest") { digests in
            let digest = try await digests.digest(month: DigestFixture.month, businessLine: "wealth", scope: .all, perLine: 2)
            #expect(digest.lines.map(\.businessLine) == ["wealth"])
            // W-A (4) and W-B (2); the sharper W-C has one complaint only.
            #expect(digest.lines.first?.items.map(\.clusterId) == ["W-A", "W-B"])
        }
    }

    @Test("an advisor's digest ranks their own customers' complaints only")
    func scoped() async throws {
        try await Self.withDigest("digestscope") { digests in
            let own = try await digests.digest(month: DigestFixture.month, scope: .advisor("adv-w"), perLine: 10)
            #expect(own.lines.map(\.businessLine) == ["wealth"])
            #expect(own.lines.first?.complaints == DigestFixture.inDigest(owner: "adv-w").count)
            #expect(own.lines.first?.items.first { $0.clusterId == "W-A" }?.clusterComplaints == 3)
            let other = try await digests.digest(month: DigestFixture.month, scope: .advisor("adv-x"), perLine: 10)
            #expect(other.lines.flatMap(\.items).map(\.interactionId) == ["w9"])
            let nobody = try await digests.digest(month: DigestFixture.month, scope: .advisor("adv-none"), perLine: 10)
            #expect(nobody.lines.isEmpty)
        }
    }

    @Test("the read API serves the digest as JSON and CSV, names a bad month, and wants a token")
    func api() async throws {
        try await ReadFixture.withStore("digestapi") { store in
            try await ProjectionTests.apply(DigestFixture.events, to: store, batch: 50)
            let router = Router()
            let recordings = RecordingResponder(recordings: RecordingRepository(store: store),
                                                files: RecordingFiles(blobs: try LocalBlobStoreFixture.make(), directory: LocalBlobStoreFixture.cache()))
            DigestAPI<BasicRequestContext>(auth: ReadAuth(key: AccessTests.key), digests: DigestRepository(store: store), recordings: recordings,
                                           timeZone: ProjectionTests.zone, size: 10).addRoutes(to: router)
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
                let manager = try AccessTests.bearer(.manager, "boss")
                let json = try await client.execute(uri: "/v1/digest?month=2025-11&businessLine=credit_card", method: .get, headers: manager)
                #expect(json.status == .ok)
                let body = try AccessTests.json(json)
                let lines = try #require(body["lines"] as? [[String: Any]])
                #expect((lines.first?["items"] as? [[String: Any]])?.compactMap { $0["interactionId"] as? String } == ["c3", "c1"])
                let csv = try await client.execute(uri: "/v1/digest.csv?month=2025-11", method: .get, headers: manager)
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                let rows = String(buffer: csv.body).split(separator: "\r\n")
                let expectedRows = 1 + 2 + 2 + 4
                #expect(rows.count == expectedRows)
                let header = "\u{FEFF}" + DigestCSV.header.joined(separator: ",")
                #expect(rows.first.map(String.init) == header)
                #expect(!String(buffer: csv.body).contains(ReadFixture.clearPhone))
                let bad = try await client.execute(uri: "/v1/digest?month=2025-13&limit=0", method: .get, headers: manager)
                #expect(bad.status == .unprocessableContent && bad.headers[.contentType] == "application/problem+json")
                let fields = (try AccessTests.json(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(Set(fields ?? []) == ["month", "limit"])
                #expect(try await client.execute(uri: "/v1/digest", method: .get).status == .unauthorized)
            }
        }
    }

    @Test("a CSV cell that a spreadsheet would run as a formula is quoted as text")
    func csvFormula() throws {
        // Built as the read API's JSON would carry it.
        let json = """
            {"month": "2025-11", "lines": [{"businessLine": "@line", "complaints": 1, "clusters": 1, "items": [
              {"rank": 1, "interactionId": "i", "customerId": "c", "channel": "chat", "occurredAt": "2025-11-17T03:00:00Z",
               "clusterLabel": "+cmd", "clusterComplaints": 1, "sentiment": {"label": "negative", "score": -0.5},
               "complaintRisk": 0.5, "sharpness": 0.5, "categories": ["-1+1"],
               "transcript": [{"speaker": "customer", "text": "say \\"no\\""}], "tickets": []}]}]}
            """
        let digest = try JSONCoding.decoder().decode(Digest.self, from: Data(json.utf8))
        let csv = DigestCSV.render(digest)
        #expect(csv.contains("\"'@line\"") && csv.contains("\"'+cmd\"") && csv.contains("\"'-1+1\""))
        #expect(csv.contains("\"customer: say \"\"no\"\"\""))
        // A negative number stays a number.
        #expect(csv.contains(",\"-0.5\","))
    }
}
