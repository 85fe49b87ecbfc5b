import Foundation
@testable import Notify
import Testing
import VOCSchema

/// Department fan-out and recipient entry checks, without a database.
@Suite("Notify fan-out and recipient checks")
struct FanOutUnitTests {
    static func roster() -> DepartmentRoster {
        DepartmentRoster(departments: ["ops": [.init(id: "P1", role: "agent"), .init(id: "P2", role: "head"),
                                               .init(id: "P1", role: "agent")]])
    }

    static func request(role: String, id: String, memberRole: String? = nil, key: String = "route/T-1/sla") -> NotificationRequested {
        NotificationRequested(notificationId: "n-1", idempotencyKey: key, recipient: .init(role: role, id: id, memberRole: memberRole),
                              medium: .inbox, title: "t", body: "b", requestedAt: Date())
    }

    @Test("a department request becomes one request per distinct member, keys derived from the request's and the member's")
    func expandsDepartment() throws {
        guard case .requests(let requests) = FanOut.expand(Self.request(role: "department", id: "ops"), roster: Self.roster()) else {
            Issue.record("expected requests")
            return
        }
        #expect(requests.map(\.recipient.id) == ["P1", "P2"])
        #expect(requests.map(\.idempotencyKey) == ["route/T-1/sla/P1", "route/T-1/sla/P2"])
        #expect(requests.map(\.recipient.role) == ["agent", "head"])
        #expect(requests.allSatisfy { $0.notificationId == "n-1" })
    }

    @Test("memberRole narrows; a person is not fanned out; unknown department, no members of the role, no directory are named")
    func narrowsAndRefuses() {
        if case .requests(let heads) = FanOut.expand(Self.request(role: "department", id: "ops", memberRole: "head"), roster: Self.roster()) {
            #expect(heads.map(\.recipient.id) == ["P2"])
        } else {
            Issue.record("expected the head")
        }
        if case .requests(let one) = FanOut.expand(Self.request(role: "advisor", id: "ops"), roster: Self.roster()) {
            #expect(one.map(\.idempotencyKey) == ["route/T-1/sla"])
        } else {
            Issue.record("a person's request is passed through")
        }
        func reason(_ expansion: FanOut.Expansion) -> String? {
            if case .nobody(let reason) = expansion { return reason }
            return nil
        }
        #expect(reason(FanOut.expand(Self.request(role: "department", id: "legal"), roster: Self.roster()))?
            .contains("department legal is not in the department directory") == true)
        #expect(reason(FanOut.expand(Self.request(role: "department", id: "ops", memberRole: "team_lead"), roster: Self.roster()))?
            .contains("no members with role team_lead") == true)
        #expect(reason(FanOut.expand(Self.request(role: "department", id: "ops"), roster: nil))?
            .contains("notify.departmentDirectoryPath") == true)
    }

    @Test("a derived key that would pass 256 characters is a stable digest instead")
    func longKeys() {
        let long = String(repeating: "k", count: 255)
        let first = FanOut.memberKey(long, member: "P1")
        #expect(first.count <= 256 && first == FanOut.memberKey(long, member: "P1") && first != FanOut.memberKey(long, member: "P2"))
    }

    @Test("the department directory file: route's format read, a duplicate department or empty member id named")
    func rosterFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"version":"v","calendars":{},"departments":[{"id":"ops","name":"x","calendar":"c","escalation":[],"members":[{"id":"P1","role":"agent"}]}]}"#.utf8).write(to: url)
        #expect(try DepartmentRoster.load(path: url.path).departments["ops"] == [.init(id: "P1", role: "agent")])
        try Data(#"{"departments":[{"id":"ops","members":[]},{"id":"ops","members":[]}]}"#.utf8).write(to: url)
        #expect(throws: NotifyError.self) { try DepartmentRoster.load(path: url.path) }
        do {
            _ = try DepartmentRoster.load(path: url.path)
        } catch {
            #expect("\(error)".contains("departments[1].id"))
        }
        try Data(#"{"departments":[{"id":"ops","members":[{"id":"","role":"agent"}]}]}"#.utf8).write(to: url)
        do {
            _ = try DepartmentRoster.load(path: url.path)
            Issue.record("an empty member id loads")
        } catch {
            #expect("\(error)".contains("departments[0].members[0].id"))
        }
    }

    @Test("a recipient entry's problems name their fields; a good entry has none")
    func entryProblems() throws {
        let good = try DirectoryEntry.decode(
            Array(#"{"language":"en","channels":["email"],"quietHours":{"start":"22:00","end":"08:00"},"webhook":{"url":"https://crm.example/h","secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}}"#.utf8),
            id: "CRM-2")
        #expect(good.id == "CRM-2" && good.quietHours?.start == "22:00")
        func fields(_ json: String) -> [String] {
            do {
                _ = try DirectoryEntry.decode(Array(json.utf8), id: "X")
                return []
            } catch let error as ValidationError {
                return error.problems.map(\.field)
            } catch {
                return ["not a ValidationError: \(error)"]
            }
        }
        #expect(fields(#"{"channels":["fax"]}"#) == ["channels[0]"])
        #expect(fields(#"{"quietHours":{"start":"22:00","end":"8"}}"#) == ["quietHours.end"])
        #expect(fields(#"{"webhook":{"url":"ftp://x","secrets":["nope"]}}"#) == ["webhook.url", "webhook.secrets[0]"])
        #expect(fields(#"{"inboxTokenSha256":"abc"}"#) == ["inboxTokenSha256"])
        #expect(fields(#"{"name":"a\u0000b"}"#) == ["name"])
        #expect(fields(#"{"id":"Y"}"#) == ["id"])
        #expect(fields(#"[1]"#) == [""])
    }
}
