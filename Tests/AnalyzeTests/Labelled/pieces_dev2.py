"""Pieces of the second dev split dev2.jsonl (make_dev2.py): written fresh, not drawn from
the pieces of train.jsonl / dev.jsonl, in words and shapes of their own (problem reports
without emotion words, rhetorical complaints, polite inquiries, praise, Chinese with
English words). It chooses the embedding head's C and the cascade threshold; never trained on.
"""


def split(text):
    return [p.strip() for p in text.split("|") if p.strip()]


ZH = {
    "repayment": dict(
        neg=split("自动还款设置好了上个月又没划走|我十号就把钱打进去了系统还是显示未还|提前结清的钱交了，这个月又扣了一期月供|"
                  "还款日明明是二十五号，二十号就发短信说我逾期，这是什么道理"),
        neu=split("最低还款额是按什么算的|我想改一下每个月的还款日，往后挪五天可以吗|这笔消费能不能转成十二期还")),
    "fees_interest": dict(
        neg=split("账单里多了一项服务费，我从来没开通过|取现手续费一次收了我五十块，谁规定的|说好免年费的，今年又扣了三百|"
                  "分期利息按全额算，还了一半本金还是按原来的收，这难道合理吗"),
        neu=split("提前还分期要不要违约金|这张卡刷满几次可以免年费|境外取现按多少比例收费")),
    "collection_conduct": dict(
        neg=split("催收员把我欠款的事发到我们家族群里了|晚上十一点还打电话来催，一家人都被吵醒|打电话的人说要去我单位贴告示|"
                  "他们冒充律师发函吓唬我老婆"),
        neu=split("我现在失业了，能不能跟你们商量一个还款计划|以后催款只打我本人电话可以吗")),
    "credit_report": dict(
        neg=split("征信上多了一次查询记录，我根本没授权过|那笔欠款早还清了，报告里还挂着逾期两个月|你们报上去的金额和我实际欠的对不上|"
                  "就因为你们这条记录，房贷被银行拒了"),
        neu=split("我想打一份自己的信用报告在哪里申请|逾期记录多少年以后会消掉")),
    "refund_cancellation": dict(
        neg=split("商家已经同意退货了，钱到今天还没退回卡里|会员我上个月就申请取消了，这个月照样续费|酒店订单取消了押金一直冻结着|"
                  "退款审核了二十天还在处理中"),
        neu=split("自动续费的保险怎么关掉|刷卡买的东西退了，钱会退到哪张卡上|退款一般几个工作日能到账")),
    "account_access": dict(
        neg=split("换了新手机以后网银就再也登不进去|人脸识别试了十几次都不通过|密码没改过却提示密码错误，账户被冻结了|"
                  "收不到短信验证码，什么都操作不了"),
        neu=split("U盾丢了要怎么补办|登录密码忘了能在手机上重置吗|怎么给手机银行绑定新的设备")),
    "product_inquiry": dict(
        neg=split("经理说这个基金稳赚，结果三个月亏了百分之十五|买之前没人告诉我这个产品要锁定两年|宣传单上写的收益根本达不到"),
        neu=split("有没有风险低一点的理财推荐|这款产品最少买多少钱|定投和一次性买入哪个更适合我|大额存单现在利率多少")),
    "redemption_withdrawal": dict(
        neg=split("我周一赎回的基金，今天周五了钱还没回来|卖出的时候扣了一大笔赎回费，事先也没提醒|想取出定期，柜台说要排队预约一个礼拜"),
        neu=split("赎回以后资金几天能到活期账户|理财到期了会自动转回来吗|提前支取会损失多少利息")),
    "fraud_security": dict(
        neg=split("凌晨三点卡里被刷走了两千，我人在睡觉|有人冒充你们客服让我转账，我被骗了八千|我的卡一直在身上，却在外地有消费记录|"
                  "收到短信说我的卡在境外消费，可我从来没出过国"),
        neu=split("我的卡好像丢了，先帮我挂失|陌生链接要我输卡号，这是你们发的吗")),
    "service_quality": dict(
        neg=split("转了四个部门，每个人都让我再打另一个电话|说好二十四小时内回电，三天了也没人联系|网点只开一个窗口，排了两个钟头|"
                  "太慢了|问了三遍同一个问题，每次答案都不一样，你们培训过吗"),
        neu=split("人工客服晚上几点下班|网点周末营业吗|能不能帮我预约一个理财经理")),
    "privacy_data": dict(
        neg=split("我刚办完卡就有贷款公司打电话来，我的信息是谁卖的|没经过我同意就把我的资料给了合作保险公司|快递单上印着我的完整卡号"),
        neu=split("怎么关闭营销短信和电话|你们会把我的数据给第三方吗|我要注销账户，个人信息能一起删除吗")),
    "praise": dict(
        pos=split("大堂的张姐一直帮我弄到下班，太感谢了|这次处理得又快又清楚，给你们点赞|客服小陈讲得很明白，一点都不敷衍|"
                  "新版手机银行好用多了，转账很顺")),
}

EN = {
    "repayment": dict(
        neg=split("Autopay was set up and the payment still did not go out|I paid in full on the 10th and the account shows a balance due|"
                  "Your system marked me late even though my payment posted on time"),
        neu=split("How is the minimum payment worked out|Can I move my due date to the end of the month")),
    "fees_interest": dict(
        neg=split("There is a service charge on my statement for something I never signed up for|You waived the annual fee last year and billed it this year without a word|"
                  "Is it normal to charge interest on the full amount after I paid half"),
        neu=split("Is there a penalty for clearing my installment plan early|What is the cash advance fee")),
    "collection_conduct": dict(
        neg=split("A collector phoned my mother and told her about my debt|They keep calling at midnight|The agent threatened to show up at my office"),
        neu=split("I lost my job, can we set up a payment plan|Please only contact me on my own number")),
    "credit_report": dict(
        neg=split("There is a hard inquiry on my report that I never authorised|The debt was settled months ago and it still shows as delinquent|"
                  "My mortgage was declined because of the record you filed"),
        neu=split("How long does a late payment stay on my file|Where can I request a copy of my credit report")),
    "refund_cancellation": dict(
        neg=split("The store accepted my return weeks ago and the credit never showed up|I cancelled the subscription and was billed again|"
                  "The hotel deposit is still on hold after I cancelled"),
        neu=split("How do I turn off auto renewal|Which card does a refund go back to")),
    "account_access": dict(
        neg=split("Since I changed phones I cannot sign in to online banking|Face verification fails every single time|The verification code never arrives"),
        neu=split("How do I reset my login password from the app|I need to register a new device for mobile banking")),
    "product_inquiry": dict(
        neg=split("I was told this fund could not lose and it is down fifteen percent|Nobody mentioned the two year lock in before I bought it"),
        neu=split("What low risk options do you have|What is the minimum amount for this product|Would monthly investing suit me better than a lump sum")),
    "redemption_withdrawal": dict(
        neg=split("I redeemed on Monday and it is Friday with no money|A large redemption fee came off with no warning"),
        neu=split("How many days until redeemed funds reach my current account|Will I lose interest if I withdraw the time deposit early")),
    "fraud_security": dict(
        neg=split("Two thousand went out of my account at 3am while I was asleep|Someone pretending to be your support got me to transfer money|"
                  "There are charges from another city and the card never left my wallet"),
        neu=split("I can't find my card, please block it for now|Is this text asking for my card number really from you")),
    "service_quality": dict(
        neg=split("I was passed through four departments and ended up where I started|You promised a callback within a day and it has been three|"
                  "Way too slow|Is anyone actually reading my emails"),
        neu=split("Until what time can I reach a live agent|Is the branch open on Saturday")),
    "privacy_data": dict(
        neg=split("A loan company called me the day after I opened the account, who gave them my number|You shared my details with an insurer without asking me"),
        neu=split("How do I opt out of marketing calls|Do you pass my data to third parties")),
    "praise": dict(
        pos=split("Ms Zhang stayed late to sort everything out for me, thank you|Quick and clear, great job this time|The new app is so much smoother")),
}

# Chinese with English words, as people type in chat.
MIX = {
    "account_access": dict(neg=split("app一直闪退，login不了"), neu=split("怎么在app里reset密码")),
    "refund_cancellation": dict(neg=split("refund说三到五天，现在两周了还没到"), neu=split("这个subscription怎么取消")),
    "fees_interest": dict(neg=split("这个fee是什么，我没用过这个service"), neu=split("overseas刷卡有没有fee")),
    "fraud_security": dict(neg=split("收到一条OTP，可是我根本没登录")),
    "service_quality": dict(neg=split("hotline等了四十分钟没人接")),
    "praise": dict(pos=split("客服很nice，问题一下就solve了")),
}

ZH_START = split("你好|您好，想问一下|麻烦看一下|")
ZH_END = split("谢谢|辛苦了|请尽快回复，谢谢|")
EN_START = split("Hi|Good morning|Dear team|")
EN_END = split("Thanks!|Regards|Appreciate your help|")
