import Foundation
import HTTPTypes
import Hummingbird

/// The console's two languages and its words in each. The language is the `lang` query
/// parameter (which the page's toggle sets and a cookie then keeps), else the browser's
/// `Accept-Language`, else Chinese.
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case zh, en

    static let cookie = "voc_lang"

    /// The language of a request, and whether it was chosen just now (to keep it in a cookie).
    static func of(_ request: Request) -> (ConsoleLanguage, chosen: Bool) {
        if let asked = request.uri.queryParameters["lang"].flatMap({ ConsoleLanguage(rawValue: String($0)) }) { return (asked, true) }
        if let kept = ConsoleCookies.value(ConsoleLanguage.cookie, in: request).flatMap(ConsoleLanguage.init(rawValue:)) { return (kept, false) }
        for range in (request.headers[.acceptLanguage] ?? "").split(separator: ",") {
            let tag = range.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if tag.hasPrefix("zh") { return (.zh, false) }
            if tag.hasPrefix("en") { return (.en, false) }
        }
        return (.zh, false)
    }

    /// The `Set-Cookie` field that keeps this language, chosen with the page's toggle, for a year.
    var keepingCookie: HTTPField {
        HTTPField(name: .setCookie, value: "\(Self.cookie)=\(rawValue); Path=/console; Max-Age=31536000; SameSite=Strict")
    }

    /// Every word of the console in this language, for templates as `t.key`.
    var words: [String: String] {
        ConsoleWords.table.mapValues { self == .zh ? $0.zh : $0.en }
    }

    func word(_ key: String) -> String {
        guard let entry = ConsoleWords.table[key] else { return key }
        return self == .zh ? entry.zh : entry.en
    }
}

/// The console's words, English and Chinese.
enum ConsoleWords {
    static let table: [String: (en: String, zh: String)] = [
        "product": ("VOC console", "客户之声控制台"),
        "signIn": ("Sign in", "登录"),
        "signOut": ("Sign out", "退出"),
        "signInHelp": ("Paste a read token (voc token create prints one, or a sign-in link).", "粘贴读取令牌（voc token create 可生成令牌或登录链接）。"),
        "token": ("Token", "令牌"),
        "signedOutExpired": ("Your session has expired or is not valid. Sign in again.", "会话已过期或无效，请重新登录。"),
        "customers": ("Customers", "客户"),
        "customer": ("Customer", "客户"),
        "tickets": ("Ticket queue", "工单队列"),
        "scorecards": ("Scorecards", "坐席评分"),
        "trends": ("Trends", "趋势"),
        "digest": ("Listening session", "听音会"),
        "businessLine": ("Business line", "业务线"),
        "advisor": ("Advisor", "理财顾问"),
        "relationshipManager": ("Relationship manager", "客户经理"),
        "contacts": ("Contacts", "联络次数"),
        "lastContact": ("Last contact", "最近联络"),
        "sentiment": ("Sentiment", "情绪"),
        "complaintRisk": ("Complaint risk", "投诉风险"),
        "openTickets": ("Open tickets", "未结工单"),
        "next": ("Next page", "下一页"),
        "older": ("Older contacts", "更早的联络"),
        "filter": ("Filter", "筛选"),
        "all": ("All", "全部"),
        "consents": ("Consents", "授权"),
        "profileFacts": ("Profile facts", "客户画像"),
        "evidence": ("Evidence", "依据"),
        "sensitive": ("sensitive", "敏感"),
        "hiddenFacts": ("sensitive facts withheld (needs the sensitive right and the customer's consent)", "条敏感信息未显示（需敏感权限及客户单独同意）"),
        "suitability": ("Suitability", "适当性提示"),
        "avoid": ("avoid", "避免"),
        "offer": ("offer", "可提供"),
        "timeline": ("Timeline", "联络时间线"),
        "channel": ("Channel", "渠道"),
        "agent": ("Agent", "坐席"),
        "categories": ("Categories", "类别"),
        "cluster": ("Cluster", "聚类"),
        "compliance": ("Compliance findings", "合规发现"),
        "notifications": ("Notifications", "通知"),
        "transcript": ("Redacted transcript", "脱敏文字记录"),
        "recording": ("Recording", "录音"),
        "ticket": ("Ticket", "工单"),
        "status": ("Status", "状态"),
        "department": ("Department", "部门"),
        "priority": ("Priority", "优先级"),
        "due": ("Due", "到期"),
        "sla": ("SLA", "时效"),
        "openOnly": ("Open only", "仅未结"),
        "noRows": ("Nothing to show.", "暂无数据。"),
        "period": ("Period", "期间"),
        "from": ("From", "从"),
        "to": ("To", "到"),
        "analysedContacts": ("Analysed", "已分析"),
        "contactsWithFindings": ("With findings", "有合规问题"),
        "averageSentiment": ("Avg. sentiment", "平均情绪"),
        "ticketsOpened": ("Tickets opened", "开单数"),
        "firstContactResolution": ("First-contact resolution", "首次解决率"),
        "reopenRate": ("Reopen rate", "重开率"),
        "sentimentAfterContact": ("Sentiment after contact", "联络后情绪"),
        "contactsPerDay": ("Contacts and negative contacts per day", "每日联络量与负面联络量"),
        "negative": ("Negative", "负面"),
        "byCategory": ("Contacts by category", "按类别的联络量"),
        "growingClusters": ("Clusters growing fastest", "增长最快的投诉聚类"),
        "label": ("Label", "标签"),
        "size": ("Size", "规模"),
        "recent": ("Recent", "近期"),
        "previous": ("Before", "此前"),
        "growth": ("Growth", "增长"),
        "month": ("Month", "月份"),
        "complaints": ("complaints", "条投诉"),
        "clusters": ("clusters", "个聚类"),
        "sharpness": ("Sharpness", "尖锐度"),
        "clusterComplaints": ("complaints in this cluster", "条同类投诉"),
        "outcome": ("Ticket outcome", "工单结果"),
        "noTicket": ("no ticket", "未开单"),
        "exportCSV": ("Export CSV", "导出 CSV"),
        "exportJSON": ("Export JSON", "导出 JSON"),
        "print": ("Print", "打印"),
        "digestHelp": ("The sharpest complaint of each of the month's largest clusters, sharpest first; recordings preferred.",
                       "本月各大投诉聚类中最尖锐的一条，按尖锐度排序，优先选择有录音的联络。"),
        "notFound": ("Not found", "未找到"),
        "notFoundHelp": ("It does not exist, or your role may not see it.", "不存在，或您的角色无权查看。"),
        "forbidden": ("Not allowed for your role", "您的角色无权访问"),
        "badRequest": ("Bad request", "请求有误"),
        "error": ("Error", "错误"),
        "signedInAs": ("Signed in as", "当前用户"),
        "language": ("中文", "English"),
        "dueIn": ("due in", "剩余"),
        "overdue": ("overdue by", "已超时"),
        "noDue": ("no due time", "无时限"),
        "met": ("met", "已达成"),
        "breached": ("breached", "已违约"),
        "due_soon": ("due soon", "即将到期"),
        "on_track": ("on track", "正常"),
        "none": ("waiting", "等待中"),
        "opened": ("opened", "开单"),
        "repeat": ("repeat contact", "重复联络"),
    ]
}
