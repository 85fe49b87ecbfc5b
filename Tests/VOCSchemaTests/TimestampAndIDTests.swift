import Foundation
import Testing
import VOCTestSupport
@testable import VOCSchema

/// The pipeline's time dialect and identifiers: the hand-written RFC 3339 reader agrees
/// with Foundation's, and ids stay what they were.
@Suite("Timestamps and identifiers")
struct TimestampAndIDTests {
    @Test("the RFC 3339 fast path reads what Foundation reads, and refuses what it cannot vouch for")
    func timestamps() throws {
        var generator = SeededGenerator(seed: 3)
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<2_000 {
            let year = Int.random(in: 1970...2100, using: &generator), month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator), hour = Int.random(in: 0...23, using: &generator)
            let minute = Int.random(in: 0...59, using: &generator), second = Int.random(in: 0...59, using: &generator)
            let fractionDigits = Int.random(in: 0...6, using: &generator)
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
            if fractionDigits > 0 {
                text += "." + String((0..<fractionDigits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            }
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: text += "Z"
            case 1: text += String(format: "+%02d:%02d", Int.random(in: 0...14, using: &generator), [0, 30, 45].randomElement(using: &generator)!)
            default: text += String(format: "-%02d:00", Int.random(in: 0...12, using: &generator))
            }
            guard fractionDigits <= 3 else {
                #expect(Timestamp.parseCommonForm(text) == nil, "\(text)")
                continue
            }
            let fast = try #require(Timestamp.parseCommonForm(text), "\(text)")
            let foundation = fractionDigits > 0 ? try style.parse(text) : try Date.ISO8601FormatStyle().parse(text)
            #expect(abs(fast.timeIntervalSince(foundation)) < 0.000_001, "\(text)")
            #expect(Timestamp.format(fast) == Timestamp.format(foundation), "\(text)")
        }
        for text in ["2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z",
                     "2026-11-24T10:00:60Z", "2026-11-24 10:00:00Z", "2026-11-24t10:00:00z", "2026-11-24T10:00:00",
                     "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00.1234567890Z", "2026-11-24T10:00:00+0800", "1969-12-31T23:59:59Z",
                     "２０２６-11-24T10:00:00Z"] {
            #expect(Timestamp.parseCommonForm(text) == nil, "\(text)")
        }
        let leapDay = try #require(Timestamp.parseCommonForm("2024-02-29T23:59:59.999-00:30"))
        #expect(abs(leapDay.timeIntervalSince1970 - 1_709_252_999.999) < 0.000_001)
        #expect(Timestamp.format(leapDay) == "2024-03-01T00:29:59.999Z")
        #expect(Timestamp.parse("2026-11-24T10:00:00.5+08:00") == Date(timeIntervalSince1970: 1_795_485_600.5))
    }

    @Test("stable ids are unchanged (vectors from an independent implementation)")
    func stableIDVectors() {
        #expect(StableID.make("interaction", "gw-hotline", "CALL-2026-0001") == "2569ed0a-d227-81f7-9c72-c75a4ec36a82")
        #expect(StableID.make("insight", "t-1", "finance-2026.11.1", "analyzer-1") == "f0d5b323-3a9a-8b32-82c7-4b2bdeafc7f3")
        #expect(StableID.make("x") == "d80d24ae-a7dc-8494-81af-56072a04e4e5")
        #expect(StableID.make("interaction", "网关", "外部-身份") == "55dfe207-5097-8c1a-a399-db89c956cdd7")
    }

    @Test("random ids are version-4 UUIDs in lowercase, and distinct")
    func randomIDs() {
        let ids = (0..<10_000).map { _ in UUIDText.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString.lowercased() == id)
            #expect(Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
        }
        let trace = TraceContext.newTraceparent()
        #expect(trace.utf8.count == 55 && trace.hasPrefix("00-") && trace.hasSuffix("-01"))
        let child = TraceContext.child(of: trace)
        #expect(child.prefix(36) == trace.prefix(36) && child != trace)
    }
}

