import Foundation
import Hummingbird
import VOCSchema

extension Console {
    /// The month's 听音会 digest: per business line, the chosen complaints with their
    /// redacted transcript, an audio player and the ticket outcome; printable.
    func digestPage(_ request: Request, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        var problems = query.check.problems
        var month = Month.current(timeZone)
        if let text = query.text("month"), !text.isEmpty {
            if let asked = Month(text, timeZone: timeZone) { month = asked } else {
                problems.append(FieldProblem(field: "month", problem: "must be a month YYYY-MM (got \"\(text)\")"))
            }
        }
        if !problems.isEmpty {
            return errorPage(visit, .badRequest, title: visit.language.word("badRequest"),
                             detail: problems.map(\.description).joined(separator: "; "), problems: problems)
        }
        let result = try await digest.digests.digest(month: month, businessLine: businessLine, scope: visit.caller.customerScope,
                                                     perLine: digest.size)
        let lines = result.lines.map { line -> [String: Any] in
            ["businessLine": line.businessLine, "complaints": line.complaints, "clusters": line.clusters,
             "items": line.items.map { item -> [String: Any] in
                 var row: [String: Any] = [
                     "rank": item.rank, "customer": item.customerId, "customerHref": "/console/customers/" + PathSegment.encode(item.customerId),
                     "time": visit.format.time(item.occurredAt), "channel": item.channel, "cluster": item.clusterLabel ?? "",
                     "clusterComplaints": item.clusterComplaints, "sentiment": "\(item.sentiment.label) (\(ConsoleFormat.score(item.sentiment.score)))",
                     "risk": ConsoleFormat.percent(item.complaintRisk), "sharpness": ConsoleFormat.score(item.sharpness),
                     "categories": item.categories.joined(separator: ", "),
                     "transcript": item.transcript.map { ["speaker": $0.speaker, "text": $0.text] },
                     "tickets": item.tickets.map { ticket -> [String: Any] in
                         var row: [String: Any] = ["id": ticket.ticketId, "status": ticket.status, "department": ticket.department,
                                                   "breached": ticket.breached]
                         if let resolution = ticket.resolutionCode { row["resolution"] = resolution }
                         return row
                     },
                     "hasTickets": !item.tickets.isEmpty,
                 ]
                 if let recording = item.recording {
                     row["audio"] = "/console/recordings/" + PathSegment.encode(item.interactionId)
                     row["mediaType"] = recording.mediaType
                 }
                 return row
             }]
        }
        var export = "month=\(month.text)"
        if let businessLine { export += "&businessLine=" + PathSegment.encode(businessLine) }
        let context: [String: Any] = [
            "month": month.text, "businessLine": businessLine ?? "", "lines": lines, "empty": lines.isEmpty,
            "csvHref": "/console/digest.csv?" + export, "jsonHref": "/console/digest.json?" + export,
        ]
        return render(visit, "digest", context, title: "\(visit.language.word("digest")) \(month.text)")
    }
}
