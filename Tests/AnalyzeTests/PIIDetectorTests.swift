@testable import Analyze
import Testing

@Suite("PII")
struct PIIDetectorTests {
    let detector = PIIDetector()

    @Test("a 身份证 with a correct check character and date is found, redacted as [身份证], masked")
    func idCard() {
        let id = Fixture.idCard("11010119850312123")
        let text = "我的身份证号是\(id)，请核实"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["id_card"])
        #expect(found.first?.start == 7 && found.first?.end == 25)
        #expect(detector.redact(text, found) == "我的身份证号是[身份证]，请核实")
        #expect(found.first?.masked == String(id.prefix(4)) + String(repeating: "*", count: 10) + String(id.suffix(4)))
    }

    @Test("a 身份证 with a wrong check character, or an impossible birth date, is not PII")
    func idCardChecks() {
        let wrongCheck = Fixture.breakCheck(Fixture.idCard("32010219790521331"))
        #expect(detector.find(in: "身份证\(wrongCheck)").isEmpty)
        // 13th month and 30 February: no check character makes them valid.
        let month13 = Fixture.idCard("11010119871332123")
        let february30 = Fixture.idCard("11010119870230123")
        #expect(detector.find(in: "号码\(month13)").allSatisfy { $0.type != "id_card" })
        #expect(detector.find(in: "号码\(february30)").allSatisfy { $0.type != "id_card" })
        // 29 February of a leap year is a real date.
        #expect(detector.find(in: "号码\(Fixture.idCard("31010420000229078"))").map(\.type) == ["id_card"])
    }

    @Test("an X check character in lower case is read too")
    func lowerX() throws {
        // Search a body whose check character is X.
        var body = 100
        var id = ""
        repeat { id = Fixture.idCard("44030519621107\(String(format: "%03d", body))"); body += 1 } while !id.hasSuffix("X")
        #expect(detector.find(in: "ID \(id.lowercased()) ok").map(\.type) == ["id_card"])
    }

    @Test("bank cards of 16 to 19 digits pass Luhn, grouped by spaces or dashes; a failing Luhn digit is not PII")
    func bankCards() {
        let card19 = Fixture.luhnCard("622202123456789012")
        let card16 = Fixture.luhnCard("436742123456789")
        let grouped = stride(from: 0, to: 16, by: 4).map { index -> String in
            let start = card16.index(card16.startIndex, offsetBy: index)
            return String(card16[start..<card16.index(start, offsetBy: 4)])
        }.joined(separator: "-")
        #expect(detector.find(in: "卡号\(card19)的年费").map(\.type) == ["bank_card"])
        let dashed = detector.find(in: "card \(grouped) please")
        #expect(dashed.map(\.type) == ["bank_card"] && dashed.first?.value == grouped)
        #expect(detector.find(in: "卡号\(Fixture.breakCheck(card19))被盗刷").isEmpty)
        #expect(detector.find(in: "ticket 1234 5678 9012 3456 is not a card").isEmpty)
        // A mistyped card holds a stretch shaped like a landline (0571 8800 1234); it is not one.
        #expect(!PIIDetector.luhn(Array("4367057188001234".unicodeScalars)))
        #expect(detector.find(in: "转到 4367 0571 8800 1234 这个账户").isEmpty)
        #expect(detector.find(in: "转到 4367-0571-8800-1234 这个账户").isEmpty)
        // Not written as a card: an amount, then a landline.
        #expect(detector.find(in: "金额 5000 0571-88001234").map(\.type) == ["landline"])
    }

    @Test("the Luhn digit the benchmark uses agrees with an independent computation")
    func luhnDigit() {
        for body in ["622202123456789012", "436742123456789", "7992739871"] {
            #expect(String(PIIDetector.luhnDigit(body)) == String(Fixture.luhnCard(body).last!))
        }
        #expect(PIIDetector.luhnDigit("7992739871") == "3")
    }

    @Test("mainland mobiles with spaces, dashes or +86; landlines with an area code")
    func phones() {
        let text = "手机138-1234-5678，或 139 8765 4321，或+86 186 0000 1234；座机010-62345678和0755-86001234"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["mobile", "mobile", "mobile", "landline", "landline"])
        #expect(found.map(\.value) == ["138-1234-5678", "139 8765 4321", "+86 186 0000 1234", "010-62345678", "0755-86001234"])
        #expect(detector.redact("call 13912345678 now", detector.find(in: "call 13912345678 now")) == "call [mobile] now")
    }

    @Test("several findings of one type in an utterance are all redacted and blanked")
    func repeatedType() {
        let text = "手机13812345678，备用13987654321"
        let found = detector.find(in: text)
        #expect(detector.redact(text, found) == "手机[mobile]，备用[mobile]")
        #expect(detector.blank(text, found) == "手机 ，备用 ")
    }

    @Test("full-width digits are read; offsets and the written value are kept")
    func fullWidth() {
        let text = "手机１３８１２３４５６７８，谢谢"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["mobile"])
        #expect(found.first?.value == "１３８１２３４５６７８" && found.first?.start == 2 && found.first?.end == 13)
        #expect(detector.redact(text, found) == "手机[mobile]，谢谢")
    }

    @Test("numbers that are no phone: 11 digits not starting 1[3-9], amounts, long serials glued to letters")
    func notPhones() {
        #expect(detector.find(in: "Call 12345678901 if needed, total 15000").isEmpty)
        #expect(detector.find(in: "流水号20261124000012345678，金额12000元").isEmpty)
        #expect(detector.find(in: "order A13812345678B").isEmpty)
    }

    @Test("a number introduced as an employee, licence, order or case number is no phone; the same digits given as a phone are")
    func identifiers() {
        for text in ["您好，我是理财经理李明，工号13807714452", "执业证编号：020123456789", "合同编号为0755-86001234", "工单号 13912345678",
                     "my employee number is 13807714452", "her staff number, 13807714452", "my representative number is 16623094518", "Licence No. 020123456789", "case ref #0755 8600 1234", "Staff ID: 13912345678"] {
            #expect(detector.find(in: text).isEmpty, "\(text)")
        }
        let mixed = detector.find(in: "工号10086，有事打我手机13807714452，座机020-12345678")
        #expect(mixed.map(\.type) == ["mobile", "landline"])
        #expect(detector.find(in: "call me on 13807714452").map(\.type) == ["mobile"])
        // A card or an id card carries its own check: a label in front changes nothing.
        let card = Fixture.luhnCard("622202123456789012")
        #expect(detector.find(in: "账号\(card)").map(\.type) == ["bank_card"])
        // The label must be a word of its own: "preference" holds "ref", "showcase" holds "case".
        #expect(detector.find(in: "preference 13807714452").map(\.type) == ["mobile"])
        #expect(detector.find(in: "showcase: 13807714452").map(\.type) == ["mobile"])
    }

    @Test("a number that answers a question for an identifier is that identifier; one for a phone stays a phone")
    func answers() {
        #expect(detector.find(in: "yeah 057188230145", answering: "do you have the case number").isEmpty)
        #expect(detector.find(in: "嗯 是的 13912345678", answering: "您的工单号是多少？").isEmpty)
        #expect(detector.find(in: "13912345678", answering: "您的手机号和工单号是多少？").map(\.type) == ["mobile"])
        #expect(detector.find(in: "reach me on 13912345678", answering: "what's the case number?").map(\.type) == ["mobile"])
        #expect(detector.find(in: "13912345678", answering: "I'll raise a ticket for you.").map(\.type) == ["mobile"])
        #expect(detector.find(in: "yeah 057188230145").map(\.type) == ["landline"])
        // Only a number that opens the answer: one later in it is read on its own.
        #expect(detector.find(in: "the case is about a charge, and my number is 13912345678", answering: "what's the case number?")
            .map(\.type) == ["mobile"])
    }

    @Test("e-mail addresses, with plus and dots; offsets are code points")
    func emails() {
        let text = "邮箱zhang.wei+bank@mail.example.cn，谢谢"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["email"])
        #expect(found.first?.value == "zhang.wei+bank@mail.example.cn")
        #expect(found.first?.start == 2 && found.first?.end == 32)
        #expect(found.first?.masked == "z***@mail.example.cn")
        #expect(detector.find(in: "not@an-address").isEmpty)
    }

    @Test("a landline with its area code in parentheses, half- or full-width, is found whole")
    func parenthesizedLandline() {
        let text = "办公室电话(010) 6234 5678，或者（0755）8600-1234"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["landline", "landline"])
        #expect(found.first?.start == 5 && found.first?.end == 20)
        #expect(found.first?.masked == "0106*****78")
        #expect(detector.redact(text, found) == "办公室电话[landline]，或者[landline]")
        // Too short, not an area code, or glued to letters: left alone.
        #expect(detector.find(in: "见附件(010) 123").isEmpty)
        #expect(detector.find(in: "编号(123) 6234 5678").isEmpty)
        #expect(detector.find(in: "A(010)62345678").isEmpty)
    }

    @Test("an e-mail address with accented or other non-Han letters before @ is found; Chinese words before it are not part of it")
    func nonASCIIEmail() {
        let found = detector.find(in: "我的邮箱是josé.müller@example.de，谢谢")
        #expect(found.map(\.type) == ["email"])
        #expect(found.first?.start == 5)
        #expect(found.first?.value == "josé.müller@example.de")
        #expect(found.first?.masked == "j***@example.de")
        #expect(detector.find(in: "почта: иван@mail.ru").map(\.value) == ["иван@mail.ru"])
    }
}
