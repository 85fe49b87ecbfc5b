import Foundation
import Hummingbird
import HummingbirdTesting
import Projector
import Testing
import VOCSchema
import VOCServiceTestSupport

/// The console's pages by role, over a real socket, against the crafted week: the same
/// scopes as the read API, the token kept in a cookie.
@Suite("Console access", .serialized)
struct ConsoleAccessTests {
    /// A contact whose redacted text holds markup: pages must show it as text.
    static let markup = ReadFixture.insight("ins-markup", interaction: "i-markup", customer: "C-A", line: "wealth", hours: 40, producedHours: 40.1,
                                            category: "service_quality", sentiment: ("negative", -0.4), risk: 0.3,
                                            text: "<script>alert('x')</script> 服务差")

    static func withConsole(_ name: String, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await ReadFixture.withStore(name) { store in
            try await ProjectionTests.apply(ReadFixture.events + [ProjectedEvent(.insight(markup), eventId: markup.insightId)], to: store, batch: 50)
            let router = Router()
            let recordings = RecordingResponder(recordings: RecordingRepository(store: store),
                                                files: RecordingFiles(blobs: try LocalBlobStoreFixture.make(), directory: LocalBlobStoreFixture.cache()))
            try Console<BasicRequestContext>(store: store, key: AccessTests.key, recordings: recordings, timeZone: ProjectionTests.zone,
                                             dueSoon: 4 * 3600, digestSize: 10, secureCookie: false).addRoutes(to: router)
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
                try await body(client)
            }
        }
    }

    static func cookie(_ role: ReadToken.Role, _ subject: String, department: String? = nil, sensitive: Bool = false,
                       expiresIn: TimeInterval = 600, key: ReadTokenKey = AccessTests.key) throws -> HTTPFields {
        let token = try key.sign(ReadToken(subject: subject, role: role, department: department, sensitive: sensitive,
                                           expiresAt: Date().addingTimeInterval(expiresIn)))
        return [.cookie: "voc_lang=en; voc_console=\(token)"]
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields) async throws -> (HTTPResponse.Status, String) {
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response.status, String(buffer: response.body))
    }

    @Test("an advisor opens their own customer; another advisor's customer is 404; a manager opens both")
    func owners() async throws {
        try await Self.withConsole("consoleowners") { client in
            let (status, html) = try await Self.page(client, "/console/customers/C-A", try Self.cookie(.advisor, "adv-1"))
            #expect(status == .ok && html.contains("C-A") && html.contains("class=\"timeline\""))
            let (refused, page) = try await Self.page(client, "/console/customers/C-A", try Self.cookie(.advisor, "adv-2"))
            #expect(refused == .notFound && page.contains("Not found") && !page.contains("赎回太慢"))
            let (list, rows) = try await Self.page(client, "/console/customers", try Self.cookie(.advisor, "adv-2"))
            #expect(list == .ok && rows.contains("/console/customers/%E5%AE%A2%E6%88%B7%20A%2F1") && !rows.contains(">C-A<"))
            let manager = try Self.cookie(.manager, "boss")
            #expect(try await Self.page(client, "/console/customers/C-A", manager).0 == .ok)
            // The id with a space, a slash and Chinese characters reads back through its encoded path.
            let (odd, oddPage) = try await Self.page(client, "/console/customers/%E5%AE%A2%E6%88%B7%20A%2F1", manager)
            #expect(odd == .ok && oddPage.contains("客户 A/1"))
            let (staff, _) = try await Self.page(client, "/console/scorecards", try Self.cookie(.departmentStaff, "s-1", department: "card_operations"))
            #expect(staff == .forbidden)
            let (otherDepartment, _) = try await Self.page(client, "/console/tickets?department=wealth_ops",
                                                           try Self.cookie(.departmentStaff, "s-1", department: "card_operations"))
            #expect(otherDepartment == .forbidden)
        }
    }

    @Test("sensitive facts only with the right; no unredacted text; markup shown as text")
    func sensitive() async throws {
        try await Self.withConsole("consolesensitive") { client in
            let (_, plain) = try await Self.page(client, "/console/customers/C-A", try Self.cookie(.advisor, "adv-1"))
            #expect(!plain.contains("health.hypertension") && plain.contains("travel.fear_of_flying"))
            #expect(plain.contains("sensitive facts withheld"))
            let (_, allowed) = try await Self.page(client, "/console/customers/C-A", try Self.cookie(.advisor, "adv-1", sensitive: true))
            #expect(allowed.contains("health.hypertension") && !allowed.contains("sensitive facts withheld"))
            #expect(allowed.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || allowed.contains("&lt;script&gt;alert("))
            #expect(!allowed.contains("<script>alert"))
            let manager = try Self.cookie(.manager, "boss", sensitive: true)
            for uri in ["/console/customers", "/console/customers/C-A", "/console/customers/%E5%AE%A2%E6%88%B7%20A%2F1", "/console/tickets",
                        "/console/scorecards?from=2025-11-10&to=2025-11-30", "/console/trends?from=2025-11-10&to=2025-11-30",
                        "/console/digest?month=2025-11"] {
                let (status, html) = try await Self.page(client, uri, manager)
                #expect(status == .ok, "\(uri)")
                #expect(!html.contains(ReadFixture.clearPhone), "\(uri)")
                #expect(html.contains("</html>"), "\(uri)")
            }
        }
    }

    @Test("no cookie, an expired or a forged one: pages send to sign-in, exports and recordings answer 401")
    func signedOut() async throws {
        try await Self.withConsole("consolesignedout") { client in
            let none = try await client.execute(uri: "/console/tickets?sla=breached", method: .get)
            #expect(none.status == .seeOther)
            let location = try #require(none.headers[.location].flatMap(URLComponents.init(string:)))
            #expect(location.path == "/console/sign-in")
            #expect(location.queryItems?.first { $0.name == "next" }?.value == "/console/tickets?sla=breached")
            let expired = try await client.execute(uri: "/console/customers/C-A", method: .get,
                                                   headers: try Self.cookie(.manager, "boss", expiresIn: -3600))
            #expect(expired.status == .seeOther && expired.headers[.location]?.contains("expired=1") == true)
            #expect(expired.headers[.setCookie]?.hasPrefix("voc_console=; Path=/console; Max-Age=0") == true)
            let forger = try ReadTokenKey(secret: "another-secret-of-at-least-thirty-two-bytes")
            let forged = try await client.execute(uri: "/console/customers/C-A", method: .get,
                                                  headers: try Self.cookie(.manager, "boss", key: forger))
            #expect(forged.status == .seeOther && !String(buffer: forged.body).contains("C-A"))
            #expect(try await client.execute(uri: "/console/digest.csv?month=2025-11", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/console/recordings/i-1", method: .get,
                                             headers: try Self.cookie(.manager, "boss", key: forger)).status == .unauthorized)
            let (form, html) = try await Self.page(client, "/console/sign-in?next=/console/tickets", [:])
            #expect(form == .ok && html.contains("name=\"token\"") && html.contains("value=\"/console/tickets\""))
        }
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict cookie and goes back to a console page only")
    func signIn() async throws {
        try await Self.withConsole("consolesignin") { client in
            let token = try AccessTests.key.sign(ReadToken(subject: "boss", role: .manager, expiresAt: Date().addingTimeInterval(600)))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let good = try await client.execute(uri: "/console/sign-in", method: .post, headers: form,
                                                body: ByteBuffer(string: "token=\(token)&next=%2Fconsole%2Fdigest"))
            #expect(good.status == .seeOther && good.headers[.location] == "/console/digest")
            let cookie = try #require(good.headers[.setCookie])
            #expect(cookie.hasPrefix("voc_console=\(token);") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let away = try await client.execute(uri: "/console/sign-in", method: .post, headers: form,
                                                body: ByteBuffer(string: "token=\(token)&next=https%3A%2F%2Fevil.example%2F"))
            #expect(away.headers[.location] == "/console/customers")
            let bad = try await client.execute(uri: "/console/sign-in", method: .post, headers: form, body: ByteBuffer(string: "token=abc.def.ghi"))
            #expect(bad.status == .unauthorized && bad.headers[.setCookie] == nil && String(buffer: bad.body).contains("token:"))
        }
    }

    @Test("bad parameters get an error page naming them; the language follows the toggle, then Accept-Language")
    func errorsAndLanguage() async throws {
        try await Self.withConsole("consoleerrors") { client in
            var manager = try Self.cookie(.manager, "boss")
            let (status, html) = try await Self.page(client, "/console/tickets?sla=late&open=maybe", manager)
            #expect(status == .badRequest && html.contains("<code>sla</code>") && html.contains("<code>open</code>"))
            // A filter form's empty fields mean "any": the address drops them.
            let blank = try await client.execute(uri: "/console/tickets?sla=&businessLine=&open=true", method: .get, headers: manager)
            #expect(blank.status == .seeOther && blank.headers[.location] == "/console/tickets?open=true")
            let (monthStatus, monthPage) = try await Self.page(client, "/console/digest?month=2025-13", manager)
            #expect(monthStatus == .badRequest && monthPage.contains("<code>month</code>"))
            let zh = try await client.execute(uri: "/console/tickets?lang=zh", method: .get, headers: manager)
            #expect(String(buffer: zh.body).contains("工单队列") && zh.headers[.setCookie] == "voc_lang=zh; Path=/console; Max-Age=31536000; SameSite=Strict")
            manager[.cookie] = manager[.cookie]?.replacingOccurrences(of: "voc_lang=en; ", with: "")
            manager[.acceptLanguage] = "en-GB,en;q=0.9"
            #expect(try await Self.page(client, "/console/tickets", manager).1.contains("Ticket queue"))
            manager[.acceptLanguage] = "zh-CN,zh;q=0.9"
            #expect(try await Self.page(client, "/console/tickets", manager).1.contains("工单队列"))
        }
    }
}
