import Foundation
import Logging
import VOCRuntime
import VOCSchema

/// Who belongs to which department, read from the department directory route uses
/// (`notify.departmentDirectoryPath`, the `departments[].members[]` of its JSON; the
/// calendars and escalation chains there are route's business and ignored here).
struct DepartmentRoster: Sendable, Equatable {
    struct Member: Codable, Sendable, Equatable {
        var id: String
        /// `agent`, `team_lead`, `head`.
        var role: String
    }

    private struct File: Decodable {
        struct Department: Decodable {
            var id: String
            var members: [Member]
        }

        var departments: [Department]
    }

    /// Members by department id, in the file's order.
    var departments: [String: [Member]]

    /// - Throws: ``NotifyError`` naming the file and the field at fault.
    static func load(path: String) throws -> DepartmentRoster {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw NotifyError.configuration("notify.departmentDirectoryPath \(path) cannot be read: \(error.localizedDescription)")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw NotifyError.configuration("notify.departmentDirectoryPath \(path) is not a department directory: \(error)")
        }
        var departments: [String: [Member]] = [:]
        for (index, department) in file.departments.enumerated() {
            if department.id.isEmpty { throw NotifyError.configuration("\(path): departments[\(index)].id: must not be empty") }
            if departments[department.id] != nil { throw NotifyError.configuration("\(path): departments[\(index)].id: \(department.id) used twice") }
            for (position, member) in department.members.enumerated() where member.id.isEmpty {
                throw NotifyError.configuration("\(path): departments[\(index)].members[\(position)].id: must not be empty")
            }
            departments[department.id] = department.members
        }
        return DepartmentRoster(departments: departments)
    }

    /// The department directory, loaded again when its file changes; a change that does not
    /// load is logged and the roster before it stays in force.
    static func watched(path: String, logger: Logger) throws -> HotReloaded<DepartmentRoster> {
        try HotReloaded(
            paths: [path], checkInterval: .seconds(2), load: { try Self.load(path: path) },
            reloaded: { new, _ in
                logger.info("department directory reloaded", metadata: [NotifyLogKey.directory: "\(path)",
                                                                        NotifyLogKey.departments: "\(new.departments.count)"])
            },
            refused: { error, _ in
                logger.error("department directory change refused, the previous one stays in force",
                             metadata: [NotifyLogKey.directory: "\(path)", LogKey.error: "\(error)"])
            })
    }
}

/// A request to a department (or to the members of one role in it) becomes one request
/// per member, each with its own idempotency key, so each member is delivered once.
enum FanOut {
    /// Either the requests to send or why there is nobody to send to.
    enum Expansion: Sendable {
        case requests([NotificationRequested])
        case nobody(String)
    }

    static func expand(_ request: NotificationRequested, roster: DepartmentRoster?) -> Expansion {
        guard request.recipient.role == "department" else { return .requests([request]) }
        guard let roster else {
            return .nobody("department \(request.recipient.id): no department directory configured (notify.departmentDirectoryPath)")
        }
        guard let members = roster.departments[request.recipient.id] else {
            return .nobody("department \(request.recipient.id) is not in the department directory")
        }
        let wanted = request.recipient.memberRole
        var seen = Set<String>()
        let chosen = members.filter { (wanted == nil || $0.role == wanted) && seen.insert($0.id).inserted }
        guard !chosen.isEmpty else {
            return .nobody("department \(request.recipient.id) has no members" + (wanted.map { " with role \($0)" } ?? ""))
        }
        return .requests(chosen.map { member in
            var copy = request
            copy.recipient = .init(role: member.role, id: member.id)
            copy.idempotencyKey = memberKey(request.idempotencyKey, member: member.id)
            return copy
        })
    }

    /// `<request key>/<member id>`; a key that would pass 256 characters is shortened
    /// to a stable digest of both.
    static func memberKey(_ key: String, member: String) -> String {
        let joined = key + "/" + member
        return joined.count <= 256 ? joined : "fanout-" + StableID.make("fanout", key, member)
    }
}
