"""Pieces of spent-test-v2.jsonl (make_test2.py), the second test split, written after the
training data of its time was frozen, in words and shapes of their own. Measured once as the
test split, then moved into training.
"""

def split(text):
    return [p.strip() for p in text.split("|") if p.strip()]

ZH = {
    "repayment": dict(neg=split("约定的扣款日卡里钱是够的，你们没扣走，现在说我欠款逾期|月供已经交了，短信还在说我没交|还款金额算错了，比借款合同多出八十"),
                      neu=split("这期账单我想拆成几个月慢慢还，能办吗|车贷剩下的能不能一次性还完")),
    "fees_interest": dict(neg=split("销卡前一天还收了我一笔年费|分期的时候说零利息，账单上却有利息|这个罚息是怎么算出来的，凭什么这么多"),
                          neu=split("办分期要付多少手续费|境外刷卡收不收货币转换费")),
    "collection_conduct": dict(neg=split("催款的人打电话给我邻居说我欠钱不还|催款电话一天打十几个，工作都没法做了|他们说再不还就上门找我"),
                               neu=split("欠的钱我会还，能让催款的别再联系我同事吗")),
    "credit_report": dict(neg=split("你们给我报了个逾期，车贷都批不下来|信用报告上这笔贷款早就结清了还显示没还"),
                          neu=split("结清以后信用报告多久能更新")),
    "refund_cancellation": dict(neg=split("订的机票取消了，钱到现在没退|会员我早就不想续了，还是自动扣了钱|申请退保快一个月了没动静"),
                                neu=split("续费的会员怎么取消|退货的钱原路退回要几天")),
    "account_access": dict(neg=split("输了三次密码账户就锁了，到现在解不开|手机银行打开就闪退，根本进不去|收不到动态码，转不了账"),
                           neu=split("手机号换了，网银登录要怎么改")),
    "product_inquiry": dict(neg=split("经理推荐的产品半年亏了一万多"),
                            neu=split("有什么一年期的理财推荐|这款年金险交几年|存款和理财哪个收益高一点")),
    "redemption_withdrawal": dict(neg=split("理财卖出三天了钱还没回到卡里|余额提到银行卡失败了，钱也不见了"),
                                  neu=split("理财提前赎回会损失收益吗|基金卖出一般几天能到")),
    "fraud_security": dict(neg=split("我没去过那边，卡却在那边被刷了|接到自称你们银行的电话，说我账户有风险让我转钱，结果被骗了"),
                           neu=split("卡好像丢了，先帮我冻结一下")),
    "service_quality": dict(neg=split("等人工等了快一个钟头|一个问题打了五次电话还没人给答复|你们工作人员爱答不理的|真够慢的"),
                            neu=split("人工服务是几点到几点")),
    "privacy_data": dict(neg=split("我没授权，保险公司怎么知道我在你们这有存款|每天都有陌生人打电话推销贷款，信息肯定是你们泄露的"),
                         neu=split("我要求删除我的个人资料，怎么申请")),
    "praise": dict(pos=split("刘经理特别负责，半夜还帮我处理|柜台的姑娘态度好，办得也快|这次客服真给力，一个电话就搞定了")),
}

EN = {
    "repayment": dict(neg=split("The money was in my account on the due date and you still didn't collect it, now it says overdue|I made this month's payment and the reminder still says unpaid"),
                      neu=split("Could I spread this bill over a few months|Can I pay off my car loan in full now")),
    "fees_interest": dict(neg=split("You said zero interest on the installment plan but there is interest on my bill|Why am I paying a foreign transaction fee nobody mentioned"),
                          neu=split("What does an installment plan cost me in fees")),
    "collection_conduct": dict(neg=split("Your debt collector told my neighbour I don't pay my bills|The collectors said they'd come to my house"),
                               neu=split("I will pay, but please stop the collectors from contacting my coworkers")),
    "credit_report": dict(neg=split("You reported me late and now my car loan is on hold|The loan I paid off still shows as unpaid on my credit history"),
                          neu=split("How soon after paying off does my credit history update")),
    "refund_cancellation": dict(neg=split("My flight was cancelled and I still haven't got the money back|I didn't want to renew and you charged me anyway"),
                                neu=split("How do I stop my membership from renewing")),
    "account_access": dict(neg=split("Three wrong tries and now my account is locked and nobody can unlock it|The banking app crashes every time I open it"),
                           neu=split("I have a new phone number, how do I update my online banking login")),
    "product_inquiry": dict(neg=split("The product the advisor recommended lost ten thousand in six months"),
                            neu=split("What would you recommend for a one year investment|Which pays more, a deposit or a wealth product")),
    "redemption_withdrawal": dict(neg=split("I sold my wealth product three days ago and the money isn't back in my account"),
                                  neu=split("Do I lose returns if I cash out early")),
    "fraud_security": dict(neg=split("I've never been there but my card was used there|Someone called saying they were from your bank and I lost money to them"),
                           neu=split("I think I lost my card, can you freeze it first")),
    "service_quality": dict(neg=split("I waited almost an hour for a person|Five calls about one issue and still no answer|Painfully slow"),
                            neu=split("When are live agents available")),
    "privacy_data": dict(neg=split("How does an insurance company know about my savings with you, I never agreed to that"),
                         neu=split("I want you to delete my personal information, how do I request it")),
    "praise": dict(pos=split("Mr Liu was incredibly responsible and helped me late at night|The teller was friendly and quick")),
}

ZH_START = split("喂你好|你好啊|在不在|")
ZH_END = split("谢谢你们|好的谢谢|麻烦你了|")
EN_START = split("Hello there|Hi team|")
EN_END = split("Thanks so much|Thank you|")
