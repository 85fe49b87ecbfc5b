import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

/// The department directory over HTTP: `GET /v1/directory` (with an `ETag`),
/// `PUT /v1/directory/departments/{departmentId}` (add or replace one department) and
/// `DELETE /v1/directory/departments/{departmentId}`. A change needs `If-Match` with the
/// ETag read (`412` stale, `428` none), is checked as the file is (`422` naming the field;
/// `409` when a routing rule still sends tickets to a department being removed), and is
/// written to the directory file. With department tokens configured, reading needs any
/// token and changing needs the `*` token.
struct DirectoryController<Context: RequestContext>: Sendable {
    let editor: DirectoryEditor
    let tokens: [String: String]

    /// What a department is, without its id (the path names it).
    struct DepartmentBody: Codable, Sendable {
        var name: String
        var calendar: String
        var members: [DepartmentDirectory.Member]
        var escalation: [String]
        var defaultAssignee: String?
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/directory") { request, _ in
            if let refused = self.refusal(request, changing: false) { return refused }
            return try self.answer { () throws(RouteError) in try self.editor.read() }
        }
        router.put("/v1/directory/departments/:departmentId") { request, context in
            try await self.put(request, id: context.parameters.get("departmentId") ?? "")
        }
        router.delete("/v1/directory/departments/:departmentId") { request, context in
            let id = context.parameters.get("departmentId") ?? ""
            if let refused = self.refusal(request, changing: true) { return refused }
            if let invalid = Self.invalid(id) { return invalid }
            return try await self.change(request) { (directory: inout DepartmentDirectory) throws(RouteError) in
                guard directory.department(id) != nil else { throw RouteError(.notFound, "department \(id) is not in the directory") }
                directory.departments.removeAll { $0.id == id }
            }
        }
    }

    func put(_ request: Request, id: String) async throws -> Response {
        if let refused = refusal(request, changing: true) { return refused }
        if let invalid = Self.invalid(id) { return invalid }
        let bytes = try await request.body.collect(upTo: 256 * 1024)
        let body: DepartmentBody
        do {
            body = try JSONCoding.decode(DepartmentBody.self, from: Array(bytes.readableBytesView))
        } catch {
            return HTTPResponses.problem(Problem(validation: error, subject: "department"))
        }
        let department = DepartmentDirectory.Department(
            id: id, name: body.name, calendar: body.calendar, members: body.members, escalation: body.escalation,
            defaultAssignee: body.defaultAssignee)
        return try await change(request) { (directory: inout DepartmentDirectory) throws(RouteError) in
            if let index = directory.departments.firstIndex(where: { $0.id == id }) {
                directory.departments[index] = department
            } else {
                directory.departments.append(department)
            }
        }
    }

    func change(_ request: Request, _ edit: (inout DepartmentDirectory) throws(RouteError) -> Void) async throws -> Response {
        if let refused = refusal(request, changing: true) { return refused }
        guard let match = request.headers[.ifMatch] else {
            return HTTPResponses.problem(Problem(type: "/problems/precondition-required", title: "If-Match required", status: 428,
                                                 detail: "send If-Match with the ETag of GET /v1/directory"))
        }
        return try answer { () throws(RouteError) in
            try editor.edit(expectedTag: match.trimmingCharacters(in: .whitespaces), edit)
        }
    }

    /// The directory and its ETag, or the problem the editor met.
    func answer(_ body: () throws(RouteError) -> (directory: DepartmentDirectory, etag: String)) throws -> Response {
        do {
            let (directory, etag) = try body()
            return HTTPResponses.json(directory, headers: [.eTag: etag])
        } catch {
            return Self.problem(error)
        }
    }

    /// `422` for a department id that is not a slug.
    static func invalid(_ id: String) -> Response? {
        guard id.isEmpty || id.utf8.count > 64 || !InteractionSubmission.isSlug(id) else { return nil }
        return HTTPResponses.problem(Problem(validation: ValidationError(kind: .invalid, problems: [
            FieldProblem(field: "departmentId", problem: "must use only a-z, 0-9, '_' and '-', 1-64 characters (got \"\(id.prefix(80))\")"),
        ]), subject: "department"))
    }

    /// `401` without a known token; `403` for a department's token asking to change.
    func refusal(_ request: Request, changing: Bool) -> Response? {
        guard !tokens.isEmpty else { return nil }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), let scope = tokens[String(header.dropFirst(7))] else {
            return HTTPResponses.problem(
                Problem(type: "/problems/unauthorized", title: "Department token required", status: 401,
                        detail: "send Authorization: Bearer <department token>"),
                headers: [.wwwAuthenticate: "Bearer"])
        }
        if changing && scope != "*" {
            return HTTPResponses.problem(Problem(type: "/problems/forbidden", title: "Directory changes need the all-departments token",
                                                 status: 403, detail: "a department's token reads the directory but does not change it"))
        }
        return nil
    }

    static func problem(_ error: RouteError) -> Response {
        switch error.code {
        case .notFound:
            HTTPResponses.problem(Problem(type: "/problems/not-found", title: "Department not found", status: 404, detail: error.message))
        case .conflict:
            HTTPResponses.problem(Problem(type: "/problems/stale-etag", title: "Directory changed", status: 412,
                                          detail: error.message + "; read it again and retry"))
        case .notEditable:
            HTTPResponses.problem(Problem(type: "/problems/not-editable", title: "Directory not editable", status: 409, detail: error.message))
        case .rules:
            // The directory is fine by itself, but a rule sends tickets to what it lacks.
            HTTPResponses.problem(Problem(type: "/problems/directory-in-use", title: "A routing rule needs it", status: 409,
                                          detail: error.message))
        default:
            HTTPResponses.problem(Problem(type: "/problems/invalid-fields", title: "Invalid directory", status: 422, detail: error.message,
                                          errors: [FieldProblem(field: Self.field(of: error.message), problem: error.message)]))
        }
    }

    /// The field a directory check names at the start of its message (`departments[3] (x).calendar: …`).
    static func field(of message: String) -> String {
        guard let colon = message.range(of: ": ") else { return "department" }
        return String(message[..<colon.lowerBound])
    }
}
