import Foundation
import Route
import Testing

/// Found while writing the `routing-book` fuzz target, reading what the stage computes
/// from a book it loaded: numbers a rules file was accepted with that trapped the stage
/// later (an overflow turning days or minutes into seconds, a share turned into an
/// integer). Each is now refused when the file loads, naming the field and the value.
@Suite("Routing rules: numbers in range")
struct RoutingLimitsTests {
    static func rules(_ edit: (inout [String: Any]) -> Void) throws -> RoutingRules {
        let url = try RoutingBook.Files.bundled().rules
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&json)
        return try JSONDecoder().decode(RoutingRules.self, from: JSONSerialization.data(withJSONObject: json))
    }

    static func problem(_ rules: RoutingRules) -> String? {
        let departments = Set(try! RoutingBook.load(RoutingBook.Files.bundled()).directory.departmentIDs)
        do {
            try rules.validate(departments: departments)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("an open window or confirmation wait past ten years is refused, naming the field")
    func days() throws {
        let window = try Self.rules { $0["openWindowDays"] = 106_751_991_167_301 }
        #expect(Self.problem(window) == "openWindowDays: must be 1 to 3650 days (got 106751991167301)")
        let close = try Self.rules { $0["closeAfterDays"] = 999_999_999_999_999 }
        #expect(Self.problem(close) == "closeAfterDays: must be at most 3650 days (got 999999999999999)")
        #expect(Self.problem(try Self.rules { $0["openWindowDays"] = 3_650; $0["closeAfterDays"] = 0 }) == nil)
    }

    @Test("an SLA target past ten years or below zero, or a warning share outside (0, 1], is refused, naming it")
    func targets() throws {
        func policy(_ edit: @escaping (inout [String: Any]) -> Void) throws -> RoutingRules {
            try Self.rules { json in
                var policies = json["slaPolicies"] as! [String: Any]
                var standard = policies["standard"] as! [String: Any]
                edit(&standard)
                policies["standard"] = standard
                json["slaPolicies"] = policies
            }
        }
        let huge = try policy { standard in
            var minutes = standard["resolutionMinutes"] as! [String: Any]
            minutes["urgent"] = 153_722_867_280_912_930
            standard["resolutionMinutes"] = minutes
        }
        #expect(Self.problem(huge) == "slaPolicies.standard.resolutionMinutes.urgent: must be 0 to 5256000 minutes (got 153722867280912930)")
        let negative = try policy { standard in
            var minutes = standard["firstResponseMinutes"] as! [String: Any]
            minutes["low"] = -5
            standard["firstResponseMinutes"] = minutes
        }
        #expect(Self.problem(negative) == "slaPolicies.standard.firstResponseMinutes.low: must be 0 to 5256000 minutes (got -5)")
        let share = try policy { $0["warnAt"] = 1e300 }
        #expect(Self.problem(share)?.hasPrefix("slaPolicies.standard.warnAt: must be a share above 0 and at most 1") == true)
        #expect(Self.problem(try policy { $0["warnAt"] = 1 }) == nil)
    }
}
