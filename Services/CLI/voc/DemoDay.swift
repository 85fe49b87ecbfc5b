import Foundation
import Transcribe
import VOCSchema

/// A day at a consumer-finance service centre, made up but shaped like the real thing:
/// customers with an advisor and a relationship manager, contacts on every channel and
/// business line in Chinese and English, mostly inquiries, some praise, and complaints of
/// the kinds that must open work orders (a double fee, a failed transfer, a threat to go
/// to the regulator, a mis-sold "guaranteed" product on an advisor's call).
struct DemoDay {
    struct Customer {
        var id: String
        var advisorId: String
        var relationshipManagerId: String
        var businessLine: String
        var sensitiveProfile: Bool
    }

    struct Contact {
        var customer: Customer
        var channel: Channel
        var occurredAt: Date
        var text: String?
        /// Turns of a recorded call instead of text.
        var call: [(SpeakerRole, String)]?
        var language: String
    }

    static let businessLines = ["credit_card", "wealth", "consumer_loan", "insurance"]
    /// The owners customers are dealt to in turn; `voc up` gives each an inbox.
    static let advisorIDs = (1...7).map { "ADV-\($0)" }
    static let relationshipManagerIDs = (1...5).map { "RM-\($0)" }

    /// Texts per business line: (language, text).
    static let texts: [String: [(String, String)]] = [
        "credit_card": [
            ("zh", "年费扣了两次，打了三次电话都没人处理，再不退我就向监管投诉！"),
            ("zh", "请问账单日可以改到每月五号吗？"),
            ("zh", "分期手续费怎么算的？和宣传的不一样，这难道不是乱收费吗？"),
            ("en", "I was charged the annual fee twice and nobody has called me back."),
            ("en", "How do I raise my credit limit before travelling?"),
            ("zh", "客服小王态度很好，问题一次就解决了，谢谢！"),
        ],
        "wealth": [
            ("zh", "赎回申请提交一周了还没到账，到底怎么回事？"),
            ("zh", "这个理财产品的风险等级是多少？"),
            ("en", "My redemption has not arrived after five working days, this is unacceptable."),
            ("en", "Thank you, the advisor explained the fund risks very clearly."),
            ("zh", "经理说这个产品保本保收益，现在亏了百分之十，我要投诉。"),
        ],
        "consumer_loan": [
            ("zh", "转账又失败了，还款日就是今天，会不会算我逾期？"),
            ("zh", "提前还款需要违约金吗？"),
            ("en", "Your collector called my employer three times this week, I will report this to the regulator."),
            ("en", "Can I change the repayment date of my loan?"),
        ],
        "insurance": [
            ("zh", "理赔材料交了一个月，一直说在审核，太慢了。"),
            ("zh", "退保的话能退多少钱？"),
            ("en", "The claim form asks for documents I already sent twice."),
            ("zh", "我有高血压，这个健康险还能买吗？"),
        ],
    ]

    /// Recorded calls: an advisor promising what may not be promised, a hotline fee
    /// complaint resolved in the call, and a polite wealth inquiry.
    static let calls: [(businessLine: String, channel: Channel, turns: [(SpeakerRole, String)])] = [
        ("wealth", .advisorCall, [
            (.agent, "Good afternoon, this is Kevin, your wealth advisor."),
            (.customer, "Hi Kevin, is the new fund safe for my retirement savings?"),
            (.agent, "Do not worry, this product is guaranteed, you cannot lose principal."),
            (.customer, "Great, then I will move all my savings into it."),
        ]),
        ("credit_card", .hotlineCall, SyntheticCall.cardCall),
        ("wealth", .hotlineCall, SyntheticCall.wealthCall),
    ]

    var customers: [Customer]
    var contacts: [Contact]

    /// The same arguments make the same day: customers and texts are picked by strides
    /// through the lists (primes, so every pairing comes up), not at random.
    /// - Parameter end: the contacts fall in the twelve hours before it (a working day).
    init(customers count: Int, interactions: Int, recordings: Int, end: Date) {
        customers = (0..<count).map { index in
            Customer(id: String(format: "DEMO-C%04d", index + 1), advisorId: Self.advisorIDs[index % Self.advisorIDs.count],
                     relationshipManagerId: Self.relationshipManagerIDs[index % Self.relationshipManagerIDs.count], businessLine: Self.businessLines[index % Self.businessLines.count],
                     sensitiveProfile: index % 3 == 0)
        }
        let opening = end.addingTimeInterval(-12 * 3600)
        let channels: [Channel] = [.hotlineCall, .chat, .appFeedback, .email, .video, .advisorCall]
        var contacts: [Contact] = []
        for index in 0..<interactions {
            let customer = customers[index * 7919 % count]
            let options = Self.texts[customer.businessLine]!
            let (language, text) = options[index * 104_729 / count % options.count]
            let at = opening.addingTimeInterval(Double(index) * 12 * 3600 / Double(max(1, interactions)))
            contacts.append(Contact(customer: customer, channel: channels[index % channels.count], occurredAt: at, text: text,
                                    language: language))
        }
        for index in 0..<recordings {
            let call = Self.calls[index % Self.calls.count]
            let candidates = customers.filter { $0.businessLine == call.businessLine }
            let customer = candidates.isEmpty ? customers[0] : candidates[index % candidates.count]
            contacts.append(Contact(customer: customer, channel: call.channel,
                                    occurredAt: opening.addingTimeInterval(Double(index % 24) * 1800), call: call.turns, language: "en"))
        }
        self.contacts = contacts
    }
}
