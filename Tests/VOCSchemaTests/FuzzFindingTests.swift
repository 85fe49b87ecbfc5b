import Foundation
import Testing
@testable import VOCSchema

/// Inputs the `event-decode` fuzz target found, each now refused with the field named.
@Suite("Fuzz findings: event decoding")
struct FuzzFindingTests {
    static func headers(time: String) -> [(name: String, value: [UInt8])] {
        [("ce_specversion", "1.0"), ("ce_id", "e-1"), ("ce_type", "voc.notification.requested.v1"),
         ("ce_source", "/voc/route"), ("ce_time", time)].map { ($0.0, Array($0.1.utf8)) }
    }

    @Test("a ce_time of a five-digit year (which Foundation's parser reads) is refused, not republished unreadable")
    func fiveDigitYear() {
        #expect(Timestamp.parse("20216-1-20T02:15:00.000Z") == nil)
        do {
            _ = try CloudEventAttributes(headers: Self.headers(time: "20216-1-20T02:15:00.000Z"))
            Issue.record("a five-digit year was accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["ce_time"])
            #expect(error.problems.first?.problem == "must be an RFC 3339 date-time")
        }
    }

    @Test("every time parse accepts is written back in the form parse reads")
    func roundTrip() throws {
        for text in ["2026-11-20T10:15:00+08:00", "2026-11-20T10:15:00.123456Z", "0001-01-01T00:00:00Z",
                     "9999-12-31T23:59:59Z", "1969-07-20T20:17:40Z", "9999-12-31T23:59:59.9996Z"] {
            guard let date = Timestamp.parse(text) else { continue }
            let written = Timestamp.format(date)
            #expect(written.utf8.count == 24, "\(text) → \(written)")
            #expect(Timestamp.parse(written) != nil, "\(text) → \(written)")
        }
        let attributes = try CloudEventAttributes(headers: Self.headers(time: "2026-11-20T10:15:00+08:00"))
        #expect(try CloudEventAttributes(headers: attributes.headers.map { ($0.name, Array($0.value.utf8)) }) == attributes)
    }

    @Test("a payload date of a five-digit year is refused naming its field")
    func payloadDate() {
        let json = #"{"customerId":"C1","channel":"chat","businessLine":"b","occurredAt":"20216-01-20T02:15:00Z","text":"x"}"#
        do {
            _ = try JSONCoding.decode(TimeOnly.self, from: Array(json.utf8))
            Issue.record("a five-digit year was accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["occurredAt"])
        }
    }

    struct TimeOnly: Decodable {
        var occurredAt: Date
    }
}
