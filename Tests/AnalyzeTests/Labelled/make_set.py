#!/usr/bin/env python3
"""Writes labelled.jsonl, the labelled set `voc analyze --eval` scores (docs/analysis.md).

The items below are written by hand; this script only makes the PII numbers: valid
身份证 (MOD 11-2) and bank cards (Luhn) from fixed seeds, and their invalid twins (one
check digit changed), so the set states exactly which numbers pass the checks.
Run it from anywhere: python3 Tests/AnalyzeTests/Labelled/make_set.py
"""
import json
from pathlib import Path

def id_card(region, birth, seq):
    body = f"{region}{birth}{seq}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check

def bad_check(number):
    last = number[-1]
    return number[:-1] + ("1" if last in "0X" else str((int(last) + 1) % 10) if last != "9" else "0")

def luhn_card(prefix, length):
    body = prefix + "".join(str((i * 7 + 3) % 10) for i in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d)
        if i % 2 == 0:
            v *= 2
            if v > 9: v -= 9
        total += v
    return body + str((10 - total % 10) % 10)

ID1 = id_card("110101", "19850312", "123")
ID2 = id_card("440305", "19621107", "456")
ID3 = id_card("310104", "20000229", "078")
ID_BAD = bad_check(id_card("320102", "19790521", "331"))
ID_BAD_DATE = "110101" + "19871332" + "1234"   # month 13: no check digit can save it
CARD1 = luhn_card("622202", 19)
CARD2 = luhn_card("621700", 16)
CARD3 = luhn_card("436742", 16)
CARD_BAD = bad_check(luhn_card("622848", 19))

def grouped(n, sep=" "):
    return sep.join(n[i:i + 4] for i in range(0, len(n), 4))

A, C = "agent", "customer"
items = []
def add(id, channel, utterances, cats=(), pii=(), compliance=None, facts=(), lang=None, bl="credit_card"):
    item = {"id": id, "channel": channel, "businessLine": bl,
            "utterances": [{"speaker": s, "text": t} for s, t in utterances],
            "expected": {"categories": list(cats), "pii": [{"type": t, "text": x} for t, x in pii], "facts": list(facts)}}
    if lang: item["language"] = lang
    if compliance is not None: item["expected"]["compliance"] = list(compliance)
    items.append(item)

# --- repayment ---
add("zh-rep-1", "hotline_call", [(C, "我想问一下这个月的账单能不能分期还款？最低还款是多少？"), (A, "可以的，我帮您查一下。")], ["repayment"])
add("zh-rep-2", "chat", [(C, "我上个月忘记还款了，现在逾期三天，会有什么影响吗？")], ["repayment"])
add("zh-rep-3", "hotline_call", [(C, "我想提前还款，把剩下的贷款一次性结清，要怎么操作？")], ["repayment"])
add("zh-rep-4", "app_feedback", [(C, "自动还款怎么没扣成功，害得我逾期了，还收了我滞纳金！")], ["repayment", "fees_interest"])
add("en-rep-1", "chat", [(C, "Can I set up a payment plan? I can't pay off the full balance this month.")], ["repayment"])
add("en-rep-2", "email", [(C, "My payment is overdue by two days because the autopay failed. What should I do?")], ["repayment"])
add("en-rep-3", "hotline_call", [(C, "When is the due date for my monthly payment on the loan?"), (A, "It is the 15th of every month.")], ["repayment"])

# --- fees_interest ---
add("zh-fee-1", "hotline_call", [(C, "我的信用卡年费怎么扣了两次？请给我退回来。")], ["fees_interest", "refund_cancellation"])
add("zh-fee-2", "chat", [(C, "你们这个分期手续费也太高了吧，年化利率到底是多少？")], ["fees_interest"])
add("zh-fee-3", "app_feedback", [(C, "借款的利息算得不对，多收了我两百块钱。")], ["fees_interest"])
add("zh-fee-4", "hotline_call", [(C, "为什么会有违约金？我明明按时还了。"), (A, "我帮您核实一下还款记录。")], ["fees_interest", "repayment"])
add("en-fee-1", "email", [(C, "I was charged a late fee even though I paid on time. Please explain this charge.")], ["fees_interest"])
add("en-fee-2", "chat", [(C, "What is the interest rate on cash advances? The APR seems very high.")], ["fees_interest"])
add("en-fee-3", "hotline_call", [(C, "You overcharged me, the annual fee appeared twice on my statement.")], ["fees_interest"])

# --- collection_conduct ---
add("zh-col-1", "hotline_call", [(C, "你们的催收员天天打电话给我家人和同事，这是暴力催收！")], ["collection_conduct"])
add("zh-col-2", "chat", [(C, "催收的人威胁我说要上门，还要爆我通讯录，太吓人了。")], ["collection_conduct"])
add("zh-col-3", "hotline_call", [(C, "我已经在协商还款了，催款电话一天打十几个，能不能停一下？")], ["collection_conduct", "repayment"])
add("en-col-1", "email", [(C, "Your debt collector keeps calling my employer and my relatives. This is harassment.")], ["collection_conduct"])
add("en-col-2", "hotline_call", [(C, "A collector threatened me on the phone yesterday. Is that allowed?")], ["collection_conduct"])
add("en-col-3", "chat", [(C, "The collections agency called my neighbors about my debt.")], ["collection_conduct"])

# --- credit_report ---
add("zh-cr-1", "hotline_call", [(C, "我的征信上怎么多了一条逾期记录？我从来没有逾期过。")], ["credit_report", "repayment"])
add("zh-cr-2", "chat", [(C, "我要申请征信异议，那条不良记录不是我造成的。")], ["credit_report"])
add("zh-cr-3", "app_feedback", [(C, "查信用报告发现有一笔我不知道的贷款。")], ["credit_report", "fraud_security"])
add("en-cr-1", "email", [(C, "There is a wrong entry on my credit report and my credit score dropped.")], ["credit_report"])
add("en-cr-2", "chat", [(C, "Will closing this card affect my credit history?")], ["credit_report", "refund_cancellation"])
add("en-cr-3", "hotline_call", [(C, "You reported me to the credit bureau by mistake.")], ["credit_report"])

# --- refund_cancellation ---
add("zh-ref-1", "hotline_call", [(C, "我要取消这个会员服务，把钱退给我。")], ["refund_cancellation"])
add("zh-ref-2", "chat", [(C, "退款申请提交一周了还没到账。")], ["refund_cancellation"])
add("zh-ref-3", "app_feedback", [(C, "我想注销信用卡，应该怎么办理？")], ["refund_cancellation"])
add("zh-ref-4", "hotline_call", [(C, "这个保险是你们捆绑销售的，我要退保。")], ["refund_cancellation"])
add("en-ref-1", "email", [(C, "Please cancel my subscription and refund the last payment.")], ["refund_cancellation"])
add("en-ref-2", "chat", [(C, "I want my money back for the service I never used.")], ["refund_cancellation"])
add("en-ref-3", "hotline_call", [(C, "How do I close my account? I don't want this card anymore.")], ["refund_cancellation"])

# --- account_access ---
add("zh-acc-1", "app_feedback", [(C, "手机银行一直登不上，提示密码错误，可我没改过密码。")], ["account_access"])
add("zh-acc-2", "chat", [(C, "收不到验证码，没法登录。")], ["account_access"])
add("zh-acc-3", "hotline_call", [(C, "我的账户被锁定了，怎么解锁？")], ["account_access"])
add("zh-acc-4", "app_feedback", [(C, "人脸识别老是失败，app打开就闪退。")], ["account_access"])
add("en-acc-1", "chat", [(C, "I'm locked out of my account after three wrong password attempts.")], ["account_access"])
add("en-acc-2", "email", [(C, "I never receive the verification code so I cannot sign in.")], ["account_access"])
add("en-acc-3", "app_feedback", [(C, "Reset password link does not work, I can't access online banking.")], ["account_access"])

# --- product_inquiry ---
add("zh-pro-1", "chat", [(C, "你好，我想了解一下你们的理财产品，有什么推荐？")], ["product_inquiry"])
add("zh-pro-2", "hotline_call", [(C, "这个基金的起购金额是多少？七日年化收益率多少？")], ["product_inquiry"])
add("zh-pro-3", "chat", [(C, "信用卡额度能提吗？我想申请提额。")], ["product_inquiry"])
add("zh-pro-4", "video", [(C, "我想咨询一下定期存款和理财哪个更适合我。"), (A, "我给您介绍一下。")], ["product_inquiry"])
add("en-pro-1", "chat", [(C, "Hi, I'm interested in your savings products. What is the rate of return?")], ["product_inquiry"])
add("en-pro-2", "email", [(C, "How do I apply for a credit limit increase?")], ["product_inquiry"])
add("en-pro-3", "hotline_call", [(C, "I'd like to know more about the new fund before I invest.")], ["product_inquiry"])

# --- redemption_withdrawal ---
add("zh-red-1", "hotline_call", [(C, "我昨天赎回的基金钱怎么还没到账？")], ["redemption_withdrawal"])
add("zh-red-2", "app_feedback", [(C, "提现一直失败，钱取不出来。")], ["redemption_withdrawal"])
add("zh-red-3", "chat", [(C, "理财到期了怎么转出到银行卡？")], ["redemption_withdrawal"])
add("en-red-1", "email", [(C, "I requested a redemption of my fund five days ago and the money has not arrived.")], ["redemption_withdrawal"])
add("en-red-2", "chat", [(C, "Why can't I withdraw money from my wallet?")], ["redemption_withdrawal"])
add("en-red-3", "hotline_call", [(C, "How long does a cash out to my bank take?")], ["redemption_withdrawal"])

# --- fraud_security ---
add("zh-fra-1", "hotline_call", [(C, "我的卡被盗刷了，有三笔消费不是我本人操作的！")], ["fraud_security"])
add("zh-fra-2", "chat", [(C, "有人冒充你们客服打电话让我转账，这是诈骗吧？")], ["fraud_security"])
add("zh-fra-3", "app_feedback", [(C, "收到一条钓鱼短信，链接和你们官网很像。")], ["fraud_security"])
add("en-fra-1", "hotline_call", [(C, "There are unauthorized transactions on my card, I didn't make them.")], ["fraud_security"])
add("en-fra-2", "email", [(C, "I think my account was hacked, someone changed my phone number.")], ["fraud_security", "account_access"])
add("en-fra-3", "chat", [(C, "I got a phishing email pretending to be from your bank.")], ["fraud_security"])

# --- service_quality ---
add("zh-ser-1", "hotline_call", [(C, "打了半天客服电话没人接，好不容易接通了又被转来转去。")], ["service_quality"])
add("zh-ser-2", "chat", [(C, "你们客服态度太差了，说两句就挂我电话。")], ["service_quality"])
add("zh-ser-3", "hotline_call", [(C, "上次那个业务员很敷衍，问什么都说不知道。")], ["service_quality"])
add("en-ser-1", "hotline_call", [(C, "I was on hold for forty minutes and then the agent hung up on me.")], ["service_quality"])
add("en-ser-2", "email", [(C, "Your staff were rude and unprofessional at the branch.")], ["service_quality"])
add("en-ser-3", "chat", [(C, "The service has been terrible, nobody answered my last three messages.")], ["service_quality"])

# --- privacy_data ---
add("zh-pri-1", "hotline_call", [(C, "我天天接到你们的营销电话，你们怎么知道我的号码的？")], ["privacy_data"])
add("zh-pri-2", "chat", [(C, "请删除我的个人信息，我不同意你们共享给第三方。")], ["privacy_data"])
add("zh-pri-3", "app_feedback", [(C, "怀疑你们泄露了我的信息，刚办完卡就有贷款中介打电话。")], ["privacy_data"])
add("en-pri-1", "email", [(C, "Please delete my data, I never gave consent for marketing calls.")], ["privacy_data"])
add("en-pri-2", "chat", [(C, "Did you share my personal information with other companies?")], ["privacy_data"])
add("en-pri-3", "hotline_call", [(C, "I keep getting telemarketing calls since I opened the account, it's a privacy issue.")], ["privacy_data"])

# --- praise ---
add("zh-pra-1", "hotline_call", [(C, "小王服务特别耐心，问题解决得很快，我要表扬她。")], ["praise"])
add("zh-pra-2", "chat", [(C, "非常满意，你们的客服很专业，点赞！")], ["praise"])
add("zh-pra-3", "app_feedback", [(C, "新版app好用多了，给你们好评。")], ["praise"])
add("en-pra-1", "email", [(C, "I want to compliment Lisa, she was very helpful and patient.")], ["praise"])
add("en-pra-2", "chat", [(C, "Great service, thank you so much for sorting this out quickly!")], ["praise"])
add("en-pra-3", "hotline_call", [(C, "Your team did a great job, really appreciate it.")], ["praise"])

# --- mixed and negative-control items ---
add("zh-mix-1", "hotline_call", [(C, "我的卡被盗刷了两万，打了三次电话都没人管，你们再不处理我就向银保监投诉！"), (A, "非常抱歉，我马上给您升级处理。")], ["fraud_security", "service_quality"])
add("zh-mix-2", "chat", [(C, "退款到现在还没收到，利息却照样扣，这合理吗？")], ["refund_cancellation", "fees_interest"])
add("zh-mix-3", "hotline_call", [(C, "你好，我就是问一下营业时间。"), (A, "我们的营业时间是早九点到晚五点。")], [])
add("en-mix-1", "email", [(C, "Someone used my card fraudulently and now your collector is calling me to pay it."), (A, "We will investigate.")], ["fraud_security", "collection_conduct"])
add("en-mix-2", "chat", [(C, "Hello, what time does the branch open on Saturday?")], [])
add("zh-mix-4", "video", [(C, "我没有逾期，为什么征信上显示逾期？客服还说不归他们管。")], ["repayment", "credit_report", "service_quality"])

# --- PII (valid and invalid numbers; every other field labelled too) ---
add("zh-pii-1", "hotline_call", [(C, f"我的身份证号是{ID1}，卡号是{grouped(CARD1)}，帮我查一下年费。")], ["fees_interest"],
    pii=[("id_card", ID1), ("bank_card", grouped(CARD1))])
add("zh-pii-2", "chat", [(C, f"手机号138-1234-5678，邮箱zhang.wei@example.cn，请回电。")], [],
    pii=[("mobile", "138-1234-5678"), ("email", "zhang.wei@example.cn")])
add("zh-pii-3", "hotline_call", [(C, f"身份证{ID_BAD}，这个号对吗？")], [], pii=[])
add("zh-pii-4", "chat", [(C, f"订单号{ID_BAD_DATE}，退款什么时候到？")], ["refund_cancellation"], pii=[])
add("zh-pii-5", "hotline_call", [(C, f"卡号{CARD_BAD}被盗刷了。")], ["fraud_security"], pii=[])
add("zh-pii-6", "hotline_call", [(C, f"我家座机是010-62345678，白天打手机 139 8765 4321。")], [],
    pii=[("landline", "010-62345678"), ("mobile", "139 8765 4321")])
add("zh-pii-7", "chat", [(C, f"我的卡{CARD2}，身份证{ID2.lower() if ID2.endswith('X') else ID2}，提现失败。")], ["redemption_withdrawal"],
    pii=[("bank_card", CARD2), ("id_card", ID2.lower() if ID2.endswith('X') else ID2)])
add("zh-pii-8", "app_feedback", [(C, "交易流水号20261124000012345678，金额12000元，这笔不是我操作的。")], ["fraud_security"], pii=[])
add("zh-pii-9", "hotline_call", [(C, f"打我电话+86 186 0000 1234或者0755-86001234都行。")], [],
    pii=[("mobile", "+86 186 0000 1234"), ("landline", "0755-86001234")])
add("en-pii-1", "email", [(C, f"My card number is {grouped(CARD3, '-')} and my phone is 13912345678. Please cancel the card.")], ["refund_cancellation"],
    pii=[("bank_card", grouped(CARD3, '-')), ("mobile", "13912345678")])
add("en-pii-2", "chat", [(C, "Reach me at mary_smith+bank@mail.example.com about the refund.")], ["refund_cancellation"],
    pii=[("email", "mary_smith+bank@mail.example.com")])
add("en-pii-3", "email", [(C, f"Reference 1234 5678 9012 3456 is my ticket number, not a card.")], [], pii=[])
add("en-pii-4", "chat", [(C, f"ID {ID3} for the account verification, I am locked out.")], ["account_access"], pii=[("id_card", ID3)])
add("en-pii-5", "email", [(C, "Call 12345678901 if needed, my order total was 15000.")], [], pii=[])

# --- profile facts, said in passing ---
add("zh-fac-1", "hotline_call", [(C, "你们又打电话催收，我有高血压，被你们吓得血压都上来了！")], ["collection_conduct"], facts=["health.hypertension"])
add("zh-fac-2", "chat", [(C, "我妈妈有高血压，想给她买份保险，有什么产品推荐吗？")], ["product_inquiry"], facts=[])
add("zh-fac-3", "video", [(C, "我退休了，平时就喜欢看电影、喝茶，钱放着想买点稳健的理财。")], ["product_inquiry"],
    facts=["life.retired", "interest.film", "interest.tea"])
add("zh-fac-4", "hotline_call", [(C, "上次送的红酒我也喝不了，我不能喝酒。另外我怕坐飞机，机场贵宾厅用不上。")], [],
    facts=["health.alcohol_avoid", "travel.fear_of_flying"])
add("zh-fac-5", "hotline_call", [(C, "我儿子在上大学，学费要按时交，这个月的还款能不能延期？")], ["repayment"], facts=["family.child_student"])
add("zh-fac-6", "chat", [(C, "我今年72岁了，年纪大了手机银行不会操作，密码老是输错。")], ["account_access"], facts=["life.elderly"])
add("zh-fac-7", "hotline_call", [(C, "我有糖尿病，牙齿也不好，你们积分换的礼品能换点别的吗？")], [], facts=["health.diabetes", "health.dental"])
add("zh-fac-8", "hotline_call", [(C, "我没有高血压，就是问问这个健康险的理赔条件。")], ["product_inquiry"], facts=[])
add("en-fac-1", "email", [(C, "I'm retired and I love golf, so the wealth event invitation is welcome. But I have high blood pressure so no wine please.")], [],
    facts=["life.retired", "interest.golf", "health.hypertension"])
add("en-fac-2", "chat", [(C, "My daughter is at university and the tuition is due, can I increase my credit limit?")], ["product_inquiry"],
    facts=["family.child_student"])
add("en-fac-3", "hotline_call", [(C, "Your collector kept calling while I was at the dentist, this is harassment.")], ["collection_conduct"], facts=["health.dental"])
add("en-fac-4", "email", [(C, "I travel a lot but I am afraid of flying, so the airport lounge voucher is useless for me. Movies would be nicer.")], [],
    facts=["interest.travel", "travel.fear_of_flying", "interest.film"])
add("en-fac-5", "chat", [(C, "My husband is diabetic, can he be added to the card as a supplementary holder?")], ["product_inquiry"], facts=[])

# --- compliance: advisor sales calls (all four rules; hard cases named) ---
ADV = "advisor_call"
P = ["product_inquiry"]
add("zh-cmp-1", ADV, [(A, "您好，我是招商银行的理财经理小王，工号A1023。"), (C, "你好，我想了解一下这款理财产品。"),
                      (A, "这款产品不保本，过往业绩不代表未来表现，投资有风险。"), (C, "好的，我明白了，我确认购买。")], P, compliance=[])
add("zh-cmp-2", ADV, [(A, "王阿姨您好，这款产品保本保息，稳赚不赔，年化收益6%。"), (C, "那挺好，我买十万。")], P,
    compliance=["identity_not_stated", "risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"])
add("zh-cmp-3", ADV, [(A, "您好，我是平安证券的投资顾问李明，执业编号S1234567890。"), (C, "这个基金会不会亏？"),
                      (A, "基金净值会波动，可能亏损本金，不保证收益。"), (C, "我了解了，风险我能接受。")], P, compliance=[])
# hard: confirmation before disclosure
add("zh-cmp-4", ADV, [(A, "您好，我是工商银行的客户经理张丽。"), (C, "好的，我同意购买。"),
                      (A, "提醒您，这款产品是非保本浮动收益型，有亏损本金的风险。"), (A, "那我帮您下单了。")], P,
    compliance=["customer_confirmation_missing"])
# hard: 不保本 is a disclosure, not a promise
add("zh-cmp-5", ADV, [(A, "您好，我是建设银行理财经理周强，工号66018。"), (C, "这个是保本的吗？"),
                      (A, "不是的，这款产品不保本，收益也不确定。"), (C, "明白，我知晓风险。")], P, compliance=[])
# hard: negated promise
add("zh-cmp-6", ADV, [(A, "您好，我是中信银行的理财顾问刘洋。"), (C, "收益能保证吗？"),
                      (A, "我不能保证收益，市场有风险，净值可能下跌。"), (C, "清楚了，没问题。")], P, compliance=[])
# hard: paraphrased promise without the word 保本
add("zh-cmp-7", ADV, [(A, "您好，我是兴业银行的理财经理陈晨，工号30021。"), (A, "这款产品投资有风险，不过您放心，绝对不会亏的，闭着眼睛买。"),
                      (C, "好的，我明白了。")], P, compliance=["guaranteed_return_promise"])
add("zh-cmp-8", ADV, [(A, "喂，阿姨，今天这个产品额度很紧张，您赶紧买。"), (C, "有什么风险吗？"), (A, "没有风险，放心吧。"), (C, "那好吧。")], P,
    compliance=["identity_not_stated", "risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"])
# hard: the customer says 保本, the agent does not promise
add("zh-cmp-9", ADV, [(A, "您好，我是民生银行理财经理赵磊，工号M8801。"), (C, "我就想要保本的产品，稳赚的那种。"),
                      (A, "理解您的想法，但这款是净值型产品，存在本金损失的风险。"), (C, "好，我了解了，我确认。")], P, compliance=[])
add("zh-cmp-10", ADV, [(A, "您好，我是光大银行的理财经理孙悦，工号G2210。"), (A, "这个产品风险等级是R3，可能亏损。"),
                       (C, "我不太明白你说的风险等级。")], P, compliance=["customer_confirmation_missing"])
add("zh-cmp-11", ADV, [(A, "您好，今天给您推荐一款基金。"), (A, "历史业绩不代表未来，投资有风险。"), (C, "好的，我清楚了。"),
                       (A, "我是浦发银行的理财经理钱多多，工号P5566。")], P, compliance=["identity_not_stated"])
add("zh-cmp-12", ADV, [(A, "您好，我是交通银行的理财经理吴敏。"), (A, "这款产品预期收益4%，但不承诺收益，有亏损可能。"),
                       (C, "嗯。"), (A, "那我就当您同意了。")], P, compliance=["customer_confirmation_missing"])
add("en-cmp-1", ADV, [(A, "Hello, this is Emma, a licensed wealth advisor at Harbor Bank, license number 88231."),
                      (C, "Tell me about this fund."), (A, "Returns are not guaranteed and you may lose money, past performance is not a guide."),
                      (C, "I understand and I accept the risk.")], P, compliance=[])
add("en-cmp-2", ADV, [(A, "This fund is guaranteed to double your money, it is completely risk-free."), (C, "Great, sign me up.")], P,
    compliance=["identity_not_stated", "risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"])
# hard: negated guarantee in English
add("en-cmp-3", ADV, [(A, "Hi, my name is Tom and I'm an adviser at North Securities."), (C, "Is my principal safe?"),
                      (A, "I cannot guarantee returns and there is a risk you could lose part of your principal."), (C, "Understood, I confirm.")], P,
    compliance=[])
add("en-cmp-4", ADV, [(A, "Hi, this is Sarah from Pine Wealth, I'm your relationship manager."), (C, "Okay, I agree to buy it."),
                      (A, "Just so you know, this product carries risk and the value can go down.")], P, compliance=["customer_confirmation_missing"])
add("en-cmp-5", ADV, [(A, "Good morning, I'm Leo, a wealth manager with Delta Bank."), (A, "There is some market risk, but honestly you won't lose money on this one."),
                      (C, "Got it.")], P, compliance=["guaranteed_return_promise"])
add("en-cmp-6", ADV, [(A, "Good afternoon, this is Nina from Crest Bank, licensed adviser."), (A, "This product may lose value, it is not guaranteed."),
                      (C, "I don't understand what that means.")], P, compliance=["customer_confirmation_missing"])
add("zh-cmp-13", ADV, [(A, "您好，我是华夏银行的理财经理郑凯，工号H0098。"), (C, "听说这个产品没有风险？"),
                       (A, "并不是没有风险，这是非保本产品，市场波动可能导致亏损。"), (C, "知道了，我可以接受。")], P, compliance=[])
add("zh-cmp-14", ADV, [(A, "您好，我是农业银行的客户经理黄蕾，工号N7788。"), (C, "我七十多岁了，只想稳一点。"),
                       (A, "您放心，这款产品保证本金安全，收益也有保障。"), (C, "那就好。")], P,
    compliance=["risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"], facts=["life.elderly"])

def write(name, rows):
    out = Path(__file__).resolve().parent / name
    with open(out, "w", encoding="utf-8") as f:
        for item in rows:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(rows)} items -> {out}")

write("labelled.jsonl", items)

# --- held-out: written after the rule pack was frozen, never used to tune it ---
items = []
ID4 = id_card("510104", "19700815", "602")
CARD4 = luhn_card("625807", 18)
add("h-1", "hotline_call", [(C, "喂，你好，我那个信用卡这个月账单金额不对，多了一笔八百多的分期手续费，我没有办过分期啊。"), (A, "好的，我帮您核实。")], ["fees_interest"])
add("h-2", "chat", [(C, "请问下个月的房贷我想晚几天还，可以吗？工资还没发。")], ["repayment"])
add("h-3", "app_feedback", [(C, "更新之后app一直转圈，指纹登录用不了。")], ["account_access"])
add("h-4", "hotline_call", [(C, "你们外包的催收公司骂人，还说要去我单位闹，我要投诉！")], ["collection_conduct"])
add("h-5", "email", [(C, "I noticed a late payment marked on my credit file although I paid before the due date.")], ["credit_report", "repayment"])
add("h-6", "chat", [(C, "Could you reverse the foreign transaction fee? I was told the card had no such fees.")], ["fees_interest", "refund_cancellation"])
add("h-7", "hotline_call", [(C, "我买的那个理财到期了，想赎回，但是页面一直显示处理中。")], ["redemption_withdrawal"])
add("h-8", "chat", [(C, "Someone in another city used my debit card at an ATM, I still have the card with me!")], ["fraud_security"])
add("h-9", "hotline_call", [(C, "我打了四次电话，每次都让我等，每次都说会回电，结果没有一个人回我。")], ["service_quality"])
add("h-10", "app_feedback", [(C, "为什么你们会有我的家庭住址和单位信息？我没有授权过。")], ["privacy_data"])
add("h-11", "video", [(C, "刚才那位经理讲得很清楚，态度也很好，谢谢你们。")], ["praise"])
add("h-12", "email", [(C, "What savings accounts do you offer for children? Is there a minimum deposit?")], ["product_inquiry"])
add("h-13", "chat", [(C, "I want to cancel the insurance add-on I never asked for and get a refund of the premiums.")], ["refund_cancellation"])
add("h-14", "hotline_call", [(C, "你们的人冒充公安给我打电话，说我的账户涉嫌洗钱，要我把钱转到安全账户。")], ["fraud_security"])
add("h-15", "chat", [(C, "提现到银行卡三天了还没到，客服只会说请耐心等待。")], ["redemption_withdrawal", "service_quality"])
add("h-16", "hotline_call", [(C, "I can't log into the app since I changed my phone, and the SMS code never comes.")], ["account_access"])
add("h-17", "email", [(C, "Thanks to Kevin at your downtown branch, he explained everything clearly and was very kind.")], ["praise"])
add("h-18", "hotline_call", [(C, "罚息怎么比本金还多？你们这是高利贷吧！")], ["fees_interest"])
add("h-19", "chat", [(C, "The collection agent told my mother I would go to jail if I don't pay.")], ["collection_conduct"])
add("h-20", "app_feedback", [(C, "能不能出一个查询征信的入口？想看看自己的信用分。")], ["credit_report", "product_inquiry"])
add("h-21", "hotline_call", [(C, f"我的身份证是{ID4}，卡号{CARD4}，我要挂失，卡丢了。")], ["fraud_security"],
    pii=[("id_card", ID4), ("bank_card", CARD4)])
add("h-22", "chat", [(C, "我电话是 186-2233-4455，工作日晚上联系我，邮箱 li_na88@qq.com 也行。")], [],
    pii=[("mobile", "186-2233-4455"), ("email", "li_na88@qq.com")])
add("h-23", "email", [(C, "Policy number 6222 0000 0000 0000 should be on file, please check the premium charge.")], ["fees_interest"], pii=[])
add("h-24", "hotline_call", [(C, "办公室电话021-55558888转分机，或者直接打我手机15011112222。")], [],
    pii=[("landline", "021-55558888"), ("mobile", "15011112222")])
add("h-25", "hotline_call", [(C, "我年纪大了，眼睛不好，血压也高，你们那个短信验证码字太小看不清。")], ["account_access"],
    facts=["life.elderly", "health.hypertension"])
add("h-26", "chat", [(C, "My son is starting college next month, is there a student credit card for him?")], ["product_inquiry"],
    facts=["family.child_student"])
add("h-27", "hotline_call", [(C, "上次活动送我高尔夫体验课，挺好的，我平时就爱打高尔夫。")], ["praise"], facts=["interest.golf"])
add("h-28", "email", [(C, "I don't drink alcohol, so please don't send wine as the loyalty gift again; a tea set would be better, I drink tea daily.")], [],
    facts=["health.alcohol_avoid", "interest.tea"])
add("h-29", ADV, [(A, "李先生您好，我是广发银行理财经理何静，工号GF3301。"), (C, "这个产品收益怎么样？"),
                  (A, "业绩比较基准是3.5%，但这不是承诺，产品不保本，有可能亏损。"), (C, "嗯，这个我知道，我接受。")], P, compliance=[])
add("h-30", ADV, [(A, "大姐，这个产品我们行卖了十年了，从来没亏过，保证您每年6个点。"), (C, "真的吗？那我买二十万。")], P,
    compliance=["identity_not_stated", "risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"])
add("h-31", ADV, [(A, "Hello, I'm Grace, a licensed adviser with Summit Bank."), (C, "Can I lose money with this fund?"),
                  (A, "Yes, the fund is not guaranteed and its value can fall."), (C, "Okay.")], P, compliance=["customer_confirmation_missing"])
add("h-32", ADV, [(A, "您好，我是邮储银行的理财经理林峰。"), (A, "这款产品本金有保障，肯定不会亏，您放一百个心。"), (C, "那我明白了。")], P,
    compliance=["risk_disclosure_missing", "guaranteed_return_promise", "customer_confirmation_missing"])
add("h-33", ADV, [(A, "Hi, this is Omar from Bay Securities, licence number 4471."), (A, "There's no guarantee on this product, you could lose some of your capital."),
                  (C, "I understand the risks, please go ahead.")], P, compliance=[])
add("h-34", ADV, [(A, "您好，我是宁波银行的客户经理方圆，工号NB009。"), (C, "我确认买。"), (A, "好的，这款产品有风险，可能亏损本金。"), (A, "那就这样。")], P,
    compliance=["customer_confirmation_missing"])
add("h-35", "hotline_call", [(C, "我的花呗分期提前还了，为什么利息还照扣？客服转了三个人都说不清楚。")], ["repayment", "fees_interest", "service_quality"])
add("h-36", "chat", [(C, "你好，请问周末能办业务吗？")], [])
add("h-37", "email", [(C, "Please stop selling my information to loan companies, I get ten spam calls a day.")], ["privacy_data"])
add("h-38", "hotline_call", [(C, "基金赎回到账要几天？我急着用钱给孩子交学费。")], ["redemption_withdrawal"], facts=["family.child_student"])
add("h-39", "chat", [(C, "I was double billed for the annual membership and the agent on the phone was really rude about it.")], ["fees_interest", "service_quality"])
add("h-40", "app_feedback", [(C, "客服小李非常耐心，帮我找回了密码，五星好评！")], ["praise", "account_access"])

write("heldout.jsonl", items)
