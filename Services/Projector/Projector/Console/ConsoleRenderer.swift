import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Why the console cannot start: a template that is missing or does not parse.
public struct ConsoleError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Renders the console's pages: mustache templates bundled with the module, every value
/// HTML-escaped (`{{ }}` only), inside one layout, with headers that keep the pages to
/// their own origin.
struct ConsoleRenderer: Sendable {
    static let pages = ["layout", "sign-in", "customers", "customer", "tickets", "scorecards", "trends", "digest", "error"]
    let library: MustacheLibrary
    let assets: [String: (type: String, bytes: [UInt8])]

    init() throws(ConsoleError) {
        guard let folder = Bundle.module.url(forResource: "console", withExtension: nil) else {
            throw ConsoleError(message: "the console's templates are missing from the bundle")
        }
        var library = MustacheLibrary()
        for name in Self.pages {
            let file = folder.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw ConsoleError(message: "console template \(file.lastPathComponent) is missing")
            }
            do { try library.register(text, named: name) } catch {
                throw ConsoleError(message: "console template \(file.lastPathComponent) does not parse: \(error)")
            }
        }
        var assets: [String: (type: String, bytes: [UInt8])] = [:]
        for (name, type) in [("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8")] {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else {
                throw ConsoleError(message: "console asset \(name) is missing")
            }
            assets[name] = (type, Array(data))
        }
        self.library = library
        self.assets = assets
    }

    /// Scripts, styles, media and forms from this origin only; no framing.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    /// A page in the layout. `context` holds the page's own values; the layout's (words,
    /// navigation, the signed-in person) are added here.
    func page(_ name: String, _ context: [String: Any], title: String, section: String? = nil, caller: ReadToken?,
              language: ConsoleLanguage, path: String, status: HTTPResponse.Status = .ok, headers extra: [HTTPField] = []) -> Response {
        var values = context
        values["t"] = language.words
        values["lang"] = language.rawValue
        values["title"] = title
        values["otherLanguage"] = language == .zh ? "en" : "zh"
        values["languageLink"] = Self.link(path, setting: "lang", to: language == .zh ? "en" : "zh")
        if let caller {
            var user: [String: Any] = ["subject": caller.subject, "role": caller.role.rawValue]
            // An empty string would still open a mustache section: absent keys only.
            if let department = caller.department { user["department"] = department }
            values["user"] = user
            values["nav"] = ["customers", "tickets", "scorecards", "trends", "digest"].map { item -> [String: Any] in
                ["href": "/console/\(item)", "label": language.word(item), "current": item == section]
            }
        }
        let html = library.render(values, withTemplate: name) ?? ""
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func asset(_ name: String) -> Response {
        guard let asset = assets[name] else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// `path` (with its query) with one query parameter set.
    static func link(_ path: String, setting name: String, to value: String) -> String {
        var components = URLComponents(string: path) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != name }
        items.append(URLQueryItem(name: name, value: value))
        components.queryItems = items
        return components.string ?? path
    }
}
