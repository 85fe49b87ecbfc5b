import Foundation
import Mustache
import Synchronization

/// What a template sees: the request's redacted fields and the recipient's name.
struct MessageContext: Sendable {
    var title: String
    var body: String
    var kind: String
    var urgent: Bool
    var ticketId: String?
    var customerId: String?
    var recipientName: String?

    var values: [String: Any] {
        var values: [String: Any] = ["title": title, "body": body, "kind": kind, "urgent": urgent]
        if let ticketId { values["ticketId"] = ticketId }
        if let customerId { values["customerId"] = customerId }
        if let recipientName { values["recipientName"] = recipientName }
        return values
    }
}

/// A rendered message: markdown/plain text for robots, the inbox and e-mail's text part,
/// HTML for e-mail's other part.
struct RenderedMessage: Sendable, Equatable {
    var title: String
    var text: String
    var html: String
}

/// Templates per kind and language (`<kind>.<language>.md.mustache`,
/// `<kind>.<language>.html.mustache`), bundled and overridable by `notify.templatesDir`.
/// A kind without a template of its own uses `generic`; a language without one uses `zh`.
final class TemplateBook: Sendable {
    private let directories: [URL]
    private let cache = Mutex<[String: MustacheTemplate]>([:])

    init(overrideDirectory: String?) {
        var directories: [URL] = []
        if let overrideDirectory { directories.append(URL(fileURLWithPath: overrideDirectory)) }
        if let bundled = Bundle.module.url(forResource: "templates", withExtension: nil) { directories.append(bundled) }
        self.directories = directories
    }

    /// - Throws: ``NotifyError/template(_:)`` naming the file when a template does not
    ///   parse or renders to nothing; such a request can never be delivered.
    func render(_ context: MessageContext, language: String) throws(NotifyError) -> RenderedMessage {
        let values = context.values
        let text = try render(kind: context.kind, language: language, format: "md", values: values)
        let html = try render(kind: context.kind, language: language, format: "html", values: values)
        return RenderedMessage(title: context.title, text: text, html: html)
    }

    private func render(kind: String, language: String, format: String, values: [String: Any]) throws(NotifyError) -> String {
        let (name, template) = try find(kind: kind, language: language, format: format)
        let output = template.render(values).trimmingCharacters(in: .whitespacesAndNewlines)
        if output.isEmpty { throw .template("\(name) rendered an empty message") }
        return output
    }

    private func find(kind: String, language: String, format: String) throws(NotifyError) -> (String, MustacheTemplate) {
        for candidateKind in [kind, "generic"] {
            for candidateLanguage in [language, "zh"] {
                let name = "\(candidateKind).\(candidateLanguage).\(format).mustache"
                if let cached = cache.withLock({ $0[name] }) { return (name, cached) }
                for directory in directories {
                    let url = directory.appendingPathComponent(name)
                    guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                    let template: MustacheTemplate
                    do { template = try MustacheTemplate(string: text) } catch {
                        throw .template("\(url.path) does not parse: \(error)")
                    }
                    cache.withLock { $0[name] = template }
                    return (name, template)
                }
            }
        }
        throw .template("no template for kind \(kind), language \(language), format \(format)")
    }
}
