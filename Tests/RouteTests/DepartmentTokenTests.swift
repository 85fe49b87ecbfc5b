import Hummingbird
@testable import Route
import Testing

@Suite("Department tokens")
struct DepartmentTokenTests {
    @Test("a department token is found by constant-time comparison with every configured one; a near miss is refused")
    func lookup() {
        let tokens = ["tok-cards-0001": "cards", "tok-wealth-0002": "wealth", "tok-all-0003": "*"]
        #expect(TicketController<BasicRequestContext>.department(of: "tok-wealth-0002", in: tokens) == "wealth")
        #expect(TicketController<BasicRequestContext>.department(of: "tok-all-0003", in: tokens) == "*")
        #expect(TicketController<BasicRequestContext>.department(of: "tok-wealth-0003", in: tokens) == nil)
        #expect(TicketController<BasicRequestContext>.department(of: "tok-wealth-000", in: tokens) == nil)
        #expect(TicketController<BasicRequestContext>.department(of: "", in: tokens) == nil)
    }
}
