<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="65"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="67"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="68"/>
        <source>结构版本</source>
        <translation>Schema version</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="69"/>
        <source>数据量</source>
        <translation>Record counts</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="73"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="75"/>
        <source>读卡器</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="76"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="80"/>
        <source>政策参数</source>
        <translation>Policy parameters</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="82"/>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="89"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="83"/>
        <source>安全</source>
        <translation>Security</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="87"/>
        <source>软件</source>
        <translation>Software</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="90"/>
        <source>药店与终端</source>
        <translation>Pharmacy and terminal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="92"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="108"/>
        <source>系统状态</source>
        <translation>System status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="124"/>
        <source>{0}（本次启动从 {1} 升级）</source>
        <translation>{0} (upgraded from {1} at this start-up)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="125"/>
        <source>空库</source>
        <translation>empty database</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="130"/>
        <source>{0} · {1} · {2} 起执行</source>
        <translation>{0} · {1} · effective from {2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="136"/>
        <source>无操作 {0} 分钟锁屏；连续 {1} 次密码错误锁定 {2} 分钟</source>
        <translation>Screen locks after {0} minutes idle; {1} wrong passwords in a row lock the account for {2} minutes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="143"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="144"/>
        <source>未初始化</source>
        <translation>Not initialised</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="146"/>
        <source>{0} · 终端 {1}</source>
        <translation>{0} · terminal {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="154"/>
        <source>商品 {0} · 批次 {1} · 台账 {2} 条 · 用户 {3}</source>
        <translation>Products {0} · batches {1} · ledger entries {2} · users {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/about_view.py" line="179"/>
        <source>处理建议: {0}</source>
        <translation>Suggested action: {0}</translation>
    </message>
</context>
<context>
    <name>AcceptanceView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="54"/>
        <source>入库单号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="55"/>
        <source>供应商</source>
        <translation>Supplier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="56"/>
        <source>随货单号</source>
        <translation>Delivery note no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="57"/>
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="58"/>
        <source>商品编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="59"/>
        <source>品名</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="60"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="61"/>
        <source>生产企业</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="62"/>
        <source>批号</source>
        <translation>Lot number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="63"/>
        <source>生产日期</source>
        <translation>Manufacture date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="65"/>
        <source>有效期至</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="66"/>
        <source>批准文号</source>
        <translation>Approval number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="67"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="68"/>
        <source>赠品</source>
        <translation>Free goods</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="69"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="70"/>
        <source>收货人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="166"/>
        <source>质量验收</source>
        <translation>Quality acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="170"/>
        <source>合格(F9)</source>
        <translation>Accept (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="171"/>
        <source>拒收(F10)</source>
        <translation>Refuse (F10)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="172"/>
        <source>整单合格(F8)</source>
        <translation>Accept all (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="173"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="205"/>
        <source>↑/↓ 选择&#x3000;F9 本行合格&#x3000;F10 拒收（填写原因）&#x3000;F8 本单其余行全部合格&#x3000;F5 刷新&#x3000;收货人不能验收自己收的货 (INV-2)</source>
        <translation>↑/↓ Select  F9 Accept line  F10 Refuse (give a reason)  F8 Accept all remaining lines of this receipt  F5 Refresh  The receiver cannot accept goods they received themselves (INV-2)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="227"/>
        <source>待验收 {0} 行</source>
        <translation>{0} lines awaiting acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="284"/>
        <source>已验收 {0} 行：合格 {1}，拒收 {2}（最小单位）</source>
        <translation>{0} lines inspected: {1} accepted, {2} refused (smallest units)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="287"/>
        <source>；拒收货物已退供应商：{0}</source>
        <translation>; refused goods returned to the supplier: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="288"/>
        <source>、</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="77"/>
        <source>新增用户</source>
        <extracomment>Creates an account: keyword arguments of ``UserService.add_user`` minus the actor. Freezes an account: (username, reason) -&gt; UserInfo.</extracomment>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="82"/>
        <source>小写字母开头，如 wangfang</source>
        <translation>Starts with a lowercase letter, e.g. wangfang</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="94"/>
        <source>药师必填</source>
        <translation>Required for pharmacists</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="102"/>
        <source>密码至少 {0} 位，须同时包含字母和数字，不能包含用户名</source>
        <translation>At least {0} characters, with both letters and digits, not containing the user name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="110"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="111"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="112"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="113"/>
        <source>执业药师资格证号(&amp;Q)</source>
        <translation>Licensed pharmacist &amp;qualification no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="114"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="115"/>
        <source>确认密码(&amp;C)</source>
        <translation>&amp;Confirm password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="124"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="127"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="145"/>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords do not match</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="356"/>
        <source>店长审批退货</source>
        <extracomment>Records the return with the approver&apos;s credentials (user name, password).</extracomment>
        <translation>Store manager approval of return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="367"/>
        <source>审批人用户名(&amp;U)</source>
        <translation>Approver&apos;s &amp;user name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="368"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="373"/>
        <source>须由收银员以外、有审批权的店长在本机输入用户名和密码。Enter 审批并退货，Esc 取消（取消则不退货）</source>
        <translation>A store manager with approval rights, other than the cashier, must enter their user name and password on this terminal. Enter approves and makes the return; Esc cancels (nothing is returned).</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="378"/>
        <source>审批并退货(Enter)</source>
        <translation>Approve and return (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="381"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>ApproveDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="144"/>
        <source>审核通过：药师签字</source>
        <translation>Approve: pharmacist&apos;s signature</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="148"/>
        <source>处方 {0}（患者 {1}，{2}，医师 {3}）
经本人审核，同意调配。</source>
        <translation>Prescription {0} (patient {1}, {2}, physician {3})
I have reviewed it and approve dispensing.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="152"/>
        <source>审核药师签字：{0}</source>
        <translation>Reviewing pharmacist&apos;s signature: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="160"/>
        <source>注意：有 {0} 项禁止性提示，收银时仍将被拦截。</source>
        <translation>Note: {0} blocking warnings; the till will still refuse the sale.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="168"/>
        <source>签字通过(Enter)</source>
        <translation>Sign and approve (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="171"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="17"/>
        <source>登录成功</source>
        <translation>Logged in</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="18"/>
        <source>登录失败</source>
        <translation>Login failed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="19"/>
        <source>登录锁定</source>
        <translation>Login locked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="20"/>
        <source>新增用户</source>
        <translation>User added</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="21"/>
        <source>冻结用户</source>
        <translation>User frozen</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="22"/>
        <source>创建药店</source>
        <translation>Pharmacy created</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="23"/>
        <source>新增供应商</source>
        <translation>Supplier added</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="24"/>
        <source>导入商品目录</source>
        <translation>Product catalogue imported</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="25"/>
        <source>载入演示数据</source>
        <translation>Demo data loaded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="26"/>
        <source>修改商品</source>
        <translation>Product changed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="27"/>
        <source>调价</source>
        <translation>Price change</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="28"/>
        <source>注销</source>
        <translation>Logged out</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="29"/>
        <source>解锁屏幕</source>
        <translation>Screen unlocked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="30"/>
        <source>解锁失败</source>
        <translation>Unlock failed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="31"/>
        <source>拒绝社保卡</source>
        <translation>Social security card refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="32"/>
        <source>挂失卡事件</source>
        <translation>Lost-card incident</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="33"/>
        <source>人证卡不一致</source>
        <translation>Person, ID document and card mismatch</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="34"/>
        <source>代购登记</source>
        <translation>Proxy purchase recorded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="35"/>
        <source>加入挂失卡名单</source>
        <translation>Added to lost-card list</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="36"/>
        <source>解除挂失</source>
        <translation>Lost-card report lifted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="37"/>
        <source>导入挂失卡名单</source>
        <translation>Lost-card list imported</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="38"/>
        <source>登记终端</source>
        <translation>Terminal registered</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="39"/>
        <source>安装政策版本</source>
        <translation>Policy version installed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="40"/>
        <source>提交处方审核</source>
        <translation>Prescription submitted for review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="41"/>
        <source>处方审核通过</source>
        <translation>Prescription review approved</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="42"/>
        <source>处方审核拒绝</source>
        <translation>Prescription review refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="43"/>
        <source>销售结算</source>
        <translation>Sale completed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="44"/>
        <source>退货退款</source>
        <translation>Return and refund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="45"/>
        <source>重打小票</source>
        <translation>Receipt reprinted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="46"/>
        <source>取消打印</source>
        <translation>Print cancelled</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="47"/>
        <source>打印交班报表</source>
        <translation>Shift report printed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="48"/>
        <source>采购收货</source>
        <translation>Purchase received</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="49"/>
        <source>质量验收</source>
        <translation>Quality acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="50"/>
        <source>采购退货</source>
        <translation>Purchase return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="51"/>
        <source>开始盘点</source>
        <translation>Stock-take started</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="52"/>
        <source>盘点审批</source>
        <translation>Stock-take approved</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="53"/>
        <source>取消盘点</source>
        <translation>Stock-take cancelled</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="54"/>
        <source>开始月度养护</source>
        <translation>Monthly maintenance started</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="55"/>
        <source>养护检查</source>
        <translation>Maintenance check</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="56"/>
        <source>解除锁定</source>
        <translation>Batch released</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="57"/>
        <source>销毁</source>
        <translation>Destruction</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="58"/>
        <source>过期锁定</source>
        <translation>Locked as expired</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="59"/>
        <source>拆零</source>
        <translation>Split pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="84"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="85"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="86"/>
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="87"/>
        <source>终端</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="88"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="89"/>
        <source>对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_model.py" line="90"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_view.py" line="45"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_view.py" line="50"/>
        <source>筛选：操作人、操作、对象或详情</source>
        <translation>Filter: operator, action, target or details</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_view.py" line="51"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/audit_view.py" line="98"/>
        <source>{0} / {1} 条</source>
        <translation>{0} / {1} entries</translation>
    </message>
</context>
<context>
    <name>BuyerIdDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="189"/>
        <source>登记购买人身份证件</source>
        <translation>Record buyer&apos;s ID document</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="194"/>
        <source>输入或扫描购买人身份证号</source>
        <translation>Type or scan the buyer&apos;s ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="198"/>
        <source>登记(Enter)</source>
        <translation>Record (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="199"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="202"/>
        <source>含麻黄碱类复方制剂须登记购买人身份证号（RX-12）</source>
        <translation>Compound preparations containing ephedrine require the buyer&apos;s ID number (RX-12)</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="270"/>
        <source>重新连接读卡器(F9)</source>
        <translation>Reconnect card reader (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="277"/>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="309"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="278"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="279"/>
        <source>社会保障号码</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="280"/>
        <source>卡号</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="281"/>
        <source>卡有效期</source>
        <translation>Card valid until</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="282"/>
        <source>读卡</source>
        <translation>Card read</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="286"/>
        <source>参保人（社保卡）</source>
        <translation>Insured person (social security card)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="297"/>
        <source>输入或扫描身份证号</source>
        <translation>Type or scan the ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="301"/>
        <source>证件上的姓名</source>
        <translation>Name on the ID document</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="302"/>
        <source>核对(Enter)</source>
        <translation>Check (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="307"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="313"/>
        <source>核对身份证件（Ctrl+I）</source>
        <translation>Check ID document (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="319"/>
        <source>代购：购药人不是参保人本人</source>
        <translation>Buyer is not the insured</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="321"/>
        <source>代购登记(F8)</source>
        <translation>Record proxy (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="330"/>
        <source>代购登记</source>
        <translation>Proxy purchase record</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="338"/>
        <source>医保结算</source>
        <translation>Insurance settlement</translation>
    </message>
</context>
<context>
    <name>CartPanel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="379"/>
        <source>扫描条码、追溯码，或输入名称/拼音首字母后按 Enter</source>
        <translation>Scan a barcode or traceability code, or type a name / pinyin initials and press Enter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="387"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="389"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="390"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="391"/>
        <source>单价</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="392"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="393"/>
        <source>批号/有效期</source>
        <translation>Lot / expiry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="394"/>
        <source>追溯码</source>
        <translation>Traceability codes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="436"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="437"/>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="440"/>
        <source>说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="457"/>
        <source>结算(F2)</source>
        <translation>Pay (F2)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="458"/>
        <source>数量(F3)</source>
        <translation>Qty (F3)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="459"/>
        <source>处方(F4)</source>
        <translation>Rx (F4)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="461"/>
        <source>医保结算(F5)</source>
        <translation>Insurance (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="463"/>
        <source>挂单/取单(F6)</source>
        <translation>Hold/Recall (F6)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="464"/>
        <source>购买人证件(F7)</source>
        <translation>Buyer ID (F7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="465"/>
        <source>删除行(Del)</source>
        <translation>Delete (Del)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="467"/>
        <source>补打小票(F10)</source>
        <translation>Reprint (F10)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="470"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="475"/>
        <source>规则提示</source>
        <translation>Rule findings</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="506"/>
        <source>禁止</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="507"/>
        <source>需药师审核</source>
        <translation>Needs pharmacist review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="508"/>
        <source>提醒</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="509"/>
        <source>记录</source>
        <translation>Recorded</translation>
    </message>
</context>
<context>
    <name>CartView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="93"/>
        <source>；</source>
        <comment>list separator</comment>
        <extracomment>How often a pending prescription review is asked again (RX-2).</extracomment>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="94"/>
        <source>{0} 至 {1}</source>
        <translation>{0} exp. {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="665"/>
        <source>请先扫描商品，或用 ↑/↓ 选择一行</source>
        <extracomment>A copy of a receipt was queued (F10): the print worker should print it now.</extracomment>
        <translation>Scan a product first, or select a line with ↑/↓</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="697"/>
        <source>删除行</source>
        <translation>Delete line</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="698"/>
        <source>删除“{0}”（{1}）？</source>
        <translation>Delete “{0}” ({1})?</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="701"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="702"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="737"/>
        <source>已挂单，按 F6 取回</source>
        <translation>Sale held; press F6 to recall it</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="742"/>
        <source>已取回挂单</source>
        <translation>Held sale recalled</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="744"/>
        <source>购物车为空，也没有挂单</source>
        <translation>The cart is empty and there is no held sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="877"/>
        <source>本次登录还没有结算过的单据；其它单据请到“销售记录”屏选中后按 Ctrl+P 重打</source>
        <translation>No sale has been paid since you logged in; to reprint another document, select it on the “Sales history” screen and press Ctrl+P</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="881"/>
        <source>补打小票</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="882"/>
        <source>补打单号 {0} 的小票：打印件标注“重打”，并记入审计日志。
原因（可直接按 Enter）：</source>
        <translation>Reprint the receipt of document {0}: the printout is marked “Reprint” and recorded in the audit log.
Reason (or just press Enter):</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="884"/>
        <source>小票未打出或顾客要求补打</source>
        <translation>Receipt not printed or customer asked for a reprint</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="896"/>
        <source>已加入打印队列：单号 {0} 的小票（重打）</source>
        <translation>Added to the print queue: receipt of document {0} (reprint)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="907"/>
        <source>已结算&#x3000;单号 {0}</source>
        <translation>Paid  Doc no. {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="908"/>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="932"/>
        <source>合计 {0}</source>
        <translation>Total {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="910"/>
        <source>统筹基金 {0}</source>
        <translation>Pooled fund {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="912"/>
        <source>个人账户 {0}</source>
        <translation>Personal account {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="913"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="915"/>
        <source>实收 {0}</source>
        <translation>Tendered {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="916"/>
        <source>找零 {0}</source>
        <translation>Change {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="918"/>
        <source>个人账户余额 {0}</source>
        <translation>Personal account balance {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="919"/>
        <source>&#x3000;</source>
        <comment>separator</comment>
        <translation>  </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="931"/>
        <source>{0} 种 {1} 件</source>
        <translation>{0} products, {1} items</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="935"/>
        <source>医保结算：{0}（{1}）</source>
        <translation>Insurance settlement: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="938"/>
        <source>改为自费(F5)</source>
        <translation>Self-pay (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="940"/>
        <source>自费结算（现金、微信、支付宝、银行卡）</source>
        <translation>Self-pay (cash, WeChat Pay, Alipay, bank card)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="942"/>
        <source>医保结算(F5)</source>
        <translation>Insurance (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="943"/>
        <source>购买人证件：{0}</source>
        <translation>Buyer ID: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="951"/>
        <source>挂单 {0} 张（F6 取回）</source>
        <translation>{0} held sales (F6 to recall)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="959"/>
        <source>处方：未提交审核</source>
        <translation>Prescription: not submitted for review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="961"/>
        <source>处方：等待药师审核</source>
        <translation>Prescription: awaiting pharmacist review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="963"/>
        <source>处方：药师 {0} 审核通过</source>
        <translation>Prescription: approved by pharmacist {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="965"/>
        <source>处方：药师 {0} 拒绝调配（{1}）{2}</source>
        <translation>Prescription: pharmacist {0} refused to dispense ({1}) {2}</translation>
    </message>
</context>
<context>
    <name>CatalogueModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="39"/>
        <source>商品编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="40"/>
        <source>医保编码: {0}</source>
        <translation>Insurance code: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="42"/>
        <source>通用名</source>
        <translation>Generic name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="43"/>
        <source>商品名</source>
        <translation>Trade name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="44"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="45"/>
        <source>处方/OTC</source>
        <translation>Rx / OTC</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="47"/>
        <source>医保类别</source>
        <translation>Insurance class</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="48"/>
        <source>零售价</source>
        <translation>Retail price</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="49"/>
        <source>库存</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="50"/>
        <source>共 {0}{1}</source>
        <translation>Total {0} {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="52"/>
        <source>生产企业</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="54"/>
        <source>条码</source>
        <translation>Barcodes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="60"/>
        <source>处方药</source>
        <translation>Prescription-only</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_model.py" line="61"/>
        <source>非处方</source>
        <translation>OTC</translation>
    </message>
</context>
<context>
    <name>CatalogueView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="63"/>
        <source>商品目录</source>
        <extracomment>Pause after the last keystroke before searching (a scanner types far faster).</extracomment>
        <translation>Product catalogue</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="69"/>
        <source>扫码或输入：条码 / 医保编码 / 商品编码 / 名称 / 拼音首字母（Ctrl+F）</source>
        <translation>Scan or type: barcode / insurance code / item code / name / pinyin initials (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="73"/>
        <source>导入目录…(Ctrl+I)</source>
        <translation>Import catalogue… (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="139"/>
        <source>仅显示前 {0} 个，请输入更具体的条件</source>
        <translation>Showing only the first {0}; please narrow the search</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="142"/>
        <source>共 {0} 个商品</source>
        <translation>{0} products</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="173"/>
        <source>店长审批调价</source>
        <translation>Store manager approval of price changes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="174"/>
        <source>审批并导入(Enter)</source>
        <translation>Approve and import (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="183"/>
        <source>{0} {1}：{2} → {3}</source>
        <translation>{0} {1}: {2} → {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="186"/>
        <source>
…共 {0} 个商品调价</source>
        <translation>
… {0} price changes in all</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="187"/>
        <source>{0} 将调整以下商品的零售价。调价须由导入人以外、有审批权的店长输入用户名和密码审批（SEC-2）；取消则不导入任何商品。
{1}{2}</source>
        <translation>{0} changes the retail price of the products below. Price changes must be approved by a store manager with approval rights, other than the importer, entering their user name and password (SEC-2); cancelling imports no products.
{1}{2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="193"/>
        <source>选择商品目录文件</source>
        <translation>Choose a product catalogue file</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="194"/>
        <source>商品目录 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Product catalogue (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/catalogue_view.py" line="200"/>
        <source>导入完成：新增 {0}，更新 {1}，未变 {2}</source>
        <translation>Import complete: {0} added, {1} updated, {2} unchanged</translation>
    </message>
</context>
<context>
    <name>ChangesModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="80"/>
        <source>参数</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="81"/>
        <source>现行</source>
        <translation>Current</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="82"/>
        <source>新版本</source>
        <translation>New version</translation>
    </message>
</context>
<context>
    <name>ConfirmInstallDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="122"/>
        <source>安装新版本政策</source>
        <translation>Install new policy version</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="125"/>
        <source>将政策从版本 {0} 更换为版本 {1}（文件 {2}）。以下参数将改变：</source>
        <translation>The policy changes from version {0} to version {1} (file {2}). These parameters will change:</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="133"/>
        <source>安装后立即生效，并记入审计日志。</source>
        <translation>It takes effect immediately on installation and is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="135"/>
        <source>显示的参数均无变化（文件的其他内容有改动）。安装后立即生效，并记入审计日志。</source>
        <translation>None of the parameters shown change (other content of the file does). It takes effect immediately on installation and is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="142"/>
        <source>安装</source>
        <translation>Install</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="144"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="159"/>
        <source>第二人审批政策变更</source>
        <translation>Second-person approval of policy change</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="160"/>
        <source>政策变更须由第二人审批（SEC-2）：另一位店长或系统管理员输入本人用户名和密码。</source>
        <translation>A policy change must be approved by a second person (SEC-2): another store manager or the system administrator enters their own user name and password.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="162"/>
        <source>审批并安装(Enter)</source>
        <translation>Approve and install (Enter)</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="366"/>
        <source>更正重传 {0}</source>
        <translation>Correct and re-upload {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="370"/>
        <source>{0}&#x3000;单据号 {1}
{2}
被拒绝的记录更正后作为新记录上传；已上传的记录先删除（3507）再上传。原记录保留，更正记入审计日志。</source>
        <translation>{0}  Doc no. {1}
{2}
A refused record is uploaded as a new record once corrected; an already uploaded record is first deleted (3507) and then uploaded again. The original record is kept, and the correction is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="373"/>
        <source>医保平台的信息：{0}</source>
        <translation>Message from the insurance platform: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="374"/>
        <source>状态：{0}</source>
        <translation>Status: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="379"/>
        <source>必填，记入审计日志</source>
        <translation>Required; recorded in the audit log</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="380"/>
        <source>从商品目录刷新（国家编码、名称、处方标志）</source>
        <translation>Refresh from the product catalogue (national code, name, prescription flag)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="395"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="410"/>
        <source>更正并重传</source>
        <translation>Correct and re-upload</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="415"/>
        <source>更正原因 *</source>
        <translation>Reason for correction *</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="420"/>
        <source>字段（* 为必填；只提交改动过的字段）</source>
        <translation>Fields (* required; only changed fields are submitted)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="434"/>
        <source>请填写更正原因（记入审计日志）</source>
        <translation>Enter a reason for the correction (recorded in the audit log)</translation>
    </message>
</context>
<context>
    <name>CorruptDatabaseDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="71"/>
        <source>数据库未通过校验</source>
        <translation>Database failed verification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="86"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="89"/>
        <source>可用的备份（最新在前，均已通过完整性检查）：</source>
        <translation>Available backups (newest first, all passed the integrity check):</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="97"/>
        <source>系统管理员（备份中的账号）</source>
        <translation>System administrator (account in the backup)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="98"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="100"/>
        <source>也可在命令行恢复：{0}</source>
        <translation>You can also restore from the command line: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="103"/>
        <source>没有找到备份：请联系系统管理员。</source>
        <translation>No backup found: contact the system administrator.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="110"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="124"/>
        <source>请先选择一个备份</source>
        <translation>Select a backup first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="129"/>
        <source>正在校验备份并恢复，请稍候…</source>
        <translation>Verifying the backup and restoring, please wait…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="133"/>
        <source>未恢复：{0}</source>
        <translation>Not restored: {0}</translation>
    </message>
</context>
<context>
    <name>CredentialsDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="170"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="171"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="198"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="179"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="207"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="197"/>
        <source>店长用户名(&amp;U)</source>
        <extracomment>Runs the closing with (user name, password, note); returns what the view reports.</extracomment>
        <translation>Store manager&apos;s &amp;user name</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="45"/>
        <source>医保统筹</source>
        <extracomment>Who paid, in stacking order, with their colours (fund blue, account green, cash orange).</extracomment>
        <translation>Insurance pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="46"/>
        <source>个人账户</source>
        <translation>Personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="47"/>
        <source>现金及其他</source>
        <translation>Cash and other</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="86"/>
        <source>经营概况</source>
        <extracomment>Colours of the flag rules, in order of their ids; repeated if there are more rules.</extracomment>
        <translation>Business overview</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="91"/>
        <source>F5 刷新</source>
        <translation>F5 Refresh</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="140"/>
        <source>数据截至 {0}</source>
        <translation>Data as of {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="158"/>
        <source>近 {0} 天销售额（合计 {1}）</source>
        <translation>Sales over the last {0} days (total {1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="180"/>
        <source>本月医保占比（{0}）</source>
        <translation>Insurance share this month ({0})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="185"/>
        <source>{0} {1}（{2}）</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="194"/>
        <source>本月医保占比（本月暂无销售）</source>
        <translation>Insurance share this month (no sales yet this month)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="198"/>
        <source>本月销售额前 {0} 品种</source>
        <translation>Top {0} products by sales this month</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="201"/>
        <source>销售额</source>
        <translation>Sales</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="210"/>
        <source>（暂无销售）</source>
        <translation>(no sales yet)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="220"/>
        <source>近效期库存金额（成本价，合计 {0}）</source>
        <translation>Near-expiry stock value (at cost, total {0})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="223"/>
        <source>库存金额</source>
        <translation>Stock value</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="232"/>
        <source>≤{0} 天</source>
        <translation>≤{0} days</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="233"/>
        <source>{0}–{1} 天</source>
        <translation>{0}–{1} days</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="234"/>
        <source>（{0} 批）</source>
        <translation> ({0} batches)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="248"/>
        <source>近 {0} 周自查标记（共 {1} 条）</source>
        <translation>Self-inspection flags over the last {0} weeks ({1} in all)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/dashboard_view.py" line="257"/>
        <source>{0}周</source>
        <translation>Week of {0}</translation>
    </message>
</context>
<context>
    <name>DatabaseCheckMonitor</name>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="182"/>
        <source>数据库后台校验：等待开始</source>
        <translation>Background database check: waiting to start</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="216"/>
        <source>数据库后台校验：完整性检查…</source>
        <translation>Background database check: integrity check…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="218"/>
        <source>数据库后台校验：台账与审计链…</source>
        <translation>Background database check: ledger and audit chain…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="222"/>
        <source>数据库后台校验未能完成</source>
        <translation>Background database check could not finish</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="229"/>
        <source>数据库校验通过（{0:.0f} 秒）</source>
        <translation>Database verified ({0:.0f} s)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="230"/>
        <source>完整性检查、台账 {0} 条、审计 {1} 条</source>
        <translation>Integrity check, {0} ledger entries, {1} audit entries</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/database_check_view.py" line="234"/>
        <source>数据库校验未通过</source>
        <translation>Database failed verification</translation>
    </message>
</context>
<context>
    <name>DeviceStates</name>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="370"/>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="413"/>
        <source>未启用</source>
        <extracomment>The lights, left to right. Least time between two reads of the upload counts (after the worker&apos;s reports). How often the age of the oldest waiting record is compared with SEC-7&apos;s limit. SEC-7: data for the insurer is uploaded at least every 20 minutes. The state&apos;s text style: red and grey as the other screens&apos; error and footnote lines. Least milliseconds between two reads of the upload counts.</extracomment>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="371"/>
        <source>读卡器在收银界面打开后开始工作；本会话还没有打开收银界面</source>
        <translation>The card reader starts working once the till screen is open; the till screen has not been opened in this session</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="374"/>
        <source>故障</source>
        <translation>Fault</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="375"/>
        <source>读卡器故障：{0}
请在收银界面按 F9 重新连接；仍不行请联系系统管理员检查读卡器驱动和读卡服务（pcscd）</source>
        <translation>Card reader fault: {0}
Press F9 on the till screen to reconnect; if that fails, ask the system administrator to check the card reader driver and the card service (pcscd)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="377"/>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="378"/>
        <source>读卡器未连接：{0}
检查读卡器的 USB 线，确认读卡服务（pcscd）已启动，然后在收银界面按 F9 重新连接；恢复后也会自动重新连接</source>
        <translation>Card reader not connected: {0}
Check the card reader&apos;s USB cable and that the card service (pcscd) is running, then press F9 on the till screen to reconnect; it also reconnects by itself once it is back</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="381"/>
        <source>读卡失败</source>
        <translation>Read failed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="382"/>
        <source>社保卡未能读取：{0}
请取出社保卡，芯片朝向正确后重新插入；仍失败时此卡可能损坏，请参保人到医保经办机构处理</source>
        <translation>The social security card could not be read: {0}
Take the card out and insert it again with the chip the right way round; if it still fails the card may be damaged and the insured person should go to the insurance office</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="385"/>
        <source>已读卡</source>
        <translation>Card read</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="386"/>
        <source>已读取社保卡；医保结算完成前请勿拔卡（ID-7）</source>
        <translation>Social security card read; do not remove it before the insurance settlement is complete (ID-7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="388"/>
        <source>无卡</source>
        <translation>No card</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="389"/>
        <source>读卡器已连接，未插卡：插入社保卡即自动读取</source>
        <translation>Card reader connected, no card: a social security card is read as soon as it is inserted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="392"/>
        <source>按 F9 读卡</source>
        <translation>Press F9 to read card</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="393"/>
        <source>本终端的读卡器按需读取：插卡后在收银界面按 F9 读卡，读卡时才知道读卡器是否连接</source>
        <translation>This terminal&apos;s card reader reads on demand: insert the card and press F9 on the till screen; whether the reader is connected is known only when reading</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="396"/>
        <source>未配置</source>
        <translation>Not configured</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="397"/>
        <source>本终端未配置读卡器（PHARMACY_POS_CARD_READER=none），不能医保结算；需要时请系统管理员配置读卡器</source>
        <translation>No card reader is configured for this terminal (PHARMACY_POS_CARD_READER=none), so insurance settlement is not possible; ask the system administrator to configure one if needed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="414"/>
        <source>本会话没有启动打印队列，小票不会打印</source>
        <translation>No print queue was started in this session; receipts will not print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="420"/>
        <source>缺纸</source>
        <translation>Out of paper</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="421"/>
        <source>打印机缺纸：装纸后按“重试”（收银界面），未打印的小票会自动补打。
{0} 张待打印。{1}</source>
        <translation>Printer out of paper: load paper and press “Retry” (till screen); unprinted receipts are printed automatically.
{0} waiting to print. {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="424"/>
        <source>上盖未合</source>
        <translation>Cover open</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="425"/>
        <source>打印机上盖未合好：合上上盖后按“重试”（收银界面），未打印的小票会自动补打。
{0} 张待打印。{1}</source>
        <translation>Printer cover open: close the cover and press “Retry” (till screen); unprinted receipts are printed automatically.
{0} waiting to print. {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="427"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="428"/>
        <source>打印机离线：检查打印机的电源、网线或 USB 线，开机后按“重试”（收银界面），未打印的小票会自动补打，不会丢失（SALE-6）。
{0} 张待打印。{1}</source>
        <translation>Printer offline: check the printer&apos;s power, network or USB cable, switch it on and press “Retry” (till screen); unprinted receipts are printed automatically and are not lost (SALE-6).
{0} waiting to print. {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="432"/>
        <source>待打印 {0}</source>
        <translation>{0} to print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="433"/>
        <source>正在打印：{0} 张待打印</source>
        <translation>Printing: {0} waiting to print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="436"/>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="438"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="437"/>
        <source>模拟打印机（打印到文件）：{0}</source>
        <translation>Simulated printer (prints to a file): {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="439"/>
        <source>打印机就绪：{0}</source>
        <translation>Printer ready: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="454"/>
        <source>由 {0} 上传</source>
        <translation>Uploaded by {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="455"/>
        <source>本店的数据由终端 {0} 上传（同一时间只有一台终端上传）；与医保平台的连接请在该终端查看</source>
        <translation>This store&apos;s data is uploaded by terminal {0} (only one terminal uploads at a time); check the connection to the insurance platform on that terminal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="458"/>
        <source>上传出错</source>
        <translation>Upload error</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="459"/>
        <source>上传暂时无法进行：{0}
待上传的数据不会丢失，程序会自动重试；持续出现时请联系系统管理员检查数据库</source>
        <translation>Uploading is not possible at the moment: {0}
Data waiting to upload is not lost and the program retries automatically; if this persists, ask the system administrator to check the database</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="461"/>
        <source>内置模拟医保</source>
        <translation>Built-in simulated insurer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="462"/>
        <source>连接失败</source>
        <translation>Connection failed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="463"/>
        <source>最近一次与医保平台通信失败（{0}）：{1}
检查网络连接和医保平台地址；待上传的数据保存在本机，不会丢失，恢复后自动补传（SEC-7）</source>
        <translation>The last exchange with the insurance platform failed ({0}): {1}
Check the network connection and the platform&apos;s address; data waiting to upload is kept on this machine, is not lost and is uploaded automatically once the link is back (SEC-7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="467"/>
        <source>训练</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="468"/>
        <source>培训模式（训练/模拟）：使用内置的模拟医保，结算和上传都不会送到医保平台</source>
        <translation>Training mode (training/simulation): the built-in simulated insurer is used; no settlement or upload reaches the insurance platform</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="470"/>
        <source>模拟</source>
        <translation>Simulated</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="471"/>
        <source>训练/模拟：使用内置的模拟医保，结算和上传都不会送到医保平台</source>
        <translation>Training/simulation: the built-in simulated insurer is used; no settlement or upload reaches the insurance platform</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="473"/>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="474"/>
        <source>尚未与医保平台通信（{0}）；上传线程运行后即知道连接状态</source>
        <translation>No exchange with the insurance platform yet ({0}); the link state is known once the upload worker runs</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="476"/>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="477"/>
        <source>医保平台可以访问（{0}）：最近一次上传 {1} 正常完成</source>
        <translation>Insurance platform reachable ({0}): the last upload at {1} completed normally</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="484"/>
        <source>未启动</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="485"/>
        <source>本会话没有运行上传线程：数据保存在本机，上传线程运行后补传（SEC-7）</source>
        <translation>No upload worker is running in this session: data is kept on this machine and uploaded once the worker runs (SEC-7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="486"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="486"/>
        <source>等待上传线程的第一次报告</source>
        <translation>Waiting for the upload worker&apos;s first report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="489"/>
        <source>被拒 {0}</source>
        <translation>{0} refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="490"/>
        <source>医保平台拒绝了 {0} 条记录（另有 {1} 条待上传）：
请店长在「医保上传」界面查看拒绝原因，更正后重传（F9）（INV-6）</source>
        <translation>The insurance platform refused {0} records ({1} more waiting to upload):
the store manager should check the reasons on the “Insurance uploads” screen, correct and resend them (F9) (INV-6)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="495"/>
        <source>{0} 条超时</source>
        <translation>{0} overdue</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="496"/>
        <source>{0} 条记录待上传，最早一条已等待 {1} 分钟，超过 20 分钟（SEC-7）：
检查与医保平台的连接（见“医保”），然后在「医保上传」界面按 F5 立即上传；数据保存在本机，不会丢失</source>
        <translation>{0} records waiting to upload, the oldest for {1} minutes, more than 20 minutes (SEC-7):
check the connection to the insurance platform (see “Insurance”), then press F5 on the “Insurance uploads” screen to upload now; the data is kept on this machine and is not lost</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="500"/>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="504"/>
        <source>{0} 条</source>
        <translation>{0} waiting</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="501"/>
        <source>{0} 条记录在本机排队：医保平台暂时连不上，恢复后自动补传；等待超过 20 分钟将变红（SEC-7）</source>
        <translation>{0} records queued on this machine: the insurance platform cannot be reached at the moment; they are uploaded automatically once it is back, and turn red after 20 minutes (SEC-7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="505"/>
        <source>{0} 条记录等待下次上传（每 {1} 秒上传一次）</source>
        <translation>{0} records waiting for the next upload (every {1} seconds)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="507"/>
        <source>0 条</source>
        <translation>0 waiting</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="507"/>
        <source>全部数据已上传到医保平台</source>
        <translation>All data has been uploaded to the insurance platform</translation>
    </message>
</context>
<context>
    <name>DeviceStatusBar</name>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="559"/>
        <source>读卡器</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="560"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="561"/>
        <source>医保</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/status_bar.py" line="562"/>
        <source>待上传</source>
        <translation>Outbox</translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <location filename="../../pharmacy_pos/ui/export_job.py" line="126"/>
        <source>无法写入文件：{0}</source>
        <translation>Cannot write the file: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/export_job.py" line="130"/>
        <source>导出失败（程序错误）：{0}</source>
        <translation>Export failed (program error): {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/export_job.py" line="141"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/export_job.py" line="143"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/export_job.py" line="155"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>FreezeDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="174"/>
        <source>冻结账号</source>
        <translation>Freeze account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="177"/>
        <source>冻结 {0}（{1}）的账号？冻结后不能登录，历史记录保留，账号不可删除。</source>
        <translation>Freeze the account of {0} ({1})? A frozen account cannot log in; its history is kept and the account cannot be deleted.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="183"/>
        <source>如：离职</source>
        <translation>e.g. resigned</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="185"/>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="191"/>
        <source>冻结</source>
        <translation>Freeze</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="194"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="92"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="93"/>
        <source>统筹区</source>
        <translation>Pooling region</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="94"/>
        <source>生效日期</source>
        <translation>Effective date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="96"/>
        <source>安装时间</source>
        <translation>Installed at</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="97"/>
        <source>安装人</source>
        <translation>Installed by</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="98"/>
        <source>sha256</source>
        <translation>sha256</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="103"/>
        <source>{0}（现行）</source>
        <translation>{0} (current)</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="65"/>
        <source>销售</source>
        <extracomment>A printout of a document: (kind, line number of a label or None).</extracomment>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="65"/>
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="73"/>
        <source>医保</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="73"/>
        <source>自费</source>
        <translation>Self-pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="75"/>
        <source>单号</source>
        <translation>Doc no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="76"/>
        <source>原单 {0}</source>
        <translation>Original doc {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="78"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="79"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="81"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="82"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="83"/>
        <source>结算</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="85"/>
        <source>终端</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="142"/>
        <source>销售记录</source>
        <translation>Sales history</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="151"/>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="153"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="155"/>
        <source>重打(Ctrl+P)</source>
        <translation>Reprint (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="158"/>
        <source>交班(F8)</source>
        <translation>Shift handover (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="192"/>
        <source>打印内容(&amp;K)</source>
        <translation>Printout (&amp;K)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="208"/>
        <source>↑/↓ 选择单据&#x3000;Alt+K 选择打印内容&#x3000;Alt+D 日期&#x3000;F5 刷新&#x3000;Ctrl+P 重打&#x3000;F8 交班</source>
        <translation>↑/↓ Select document  Alt+K Choose printout  Alt+D Date  F5 Refresh  Ctrl+P Reprint  F8 Shift handover</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="242"/>
        <source>销售 {0} 笔 {1}&#x3000;退货 {2} 笔 {3}</source>
        <translation>Sales: {0}, {1}  Returns: {2}, {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="288"/>
        <source>退货单</source>
        <translation>Return slip</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="288"/>
        <source>销售小票</source>
        <translation>Sales receipt</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="291"/>
        <source>用药标签 第{0}行 {1}</source>
        <translation>Medication label, line {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="331"/>
        <source>重打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="332"/>
        <source>重打 {0} {1}：打印件将标注“重打”，并记入审计日志。
请填写重打原因：</source>
        <translation>Reprint {0} {1}: the printout will be marked “Reprint” and recorded in the audit log.
Enter the reason for reprinting:</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="347"/>
        <source>已加入打印队列：{0} {1}（重打）</source>
        <translation>Added to the print queue: {0} {1} (reprint)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="369"/>
        <source>{0} 至 {1}，{2}：销售 {3} 笔，退货 {4} 笔</source>
        <translation>{0} to {1}, {2}: {3} sales, {4} returns</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="379"/>
        <source>交班报表已加入打印队列</source>
        <translation>Shift report added to the print queue</translation>
    </message>
</context>
<context>
    <name>KeysDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="23"/>
        <source>收银</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="29"/>
        <source>结算（收款）</source>
        <extracomment>(group, key as Qt&apos;s QKeySequence text, what it does), in the order shown.</extracomment>
        <translation>Pay (take payment)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="30"/>
        <source>修改选中行的数量（含拆零）</source>
        <translation>Change the selected line&apos;s quantity (split packs too)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="31"/>
        <source>录入处方，提交药师审核</source>
        <translation>Enter a prescription and submit it for the pharmacist&apos;s review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="32"/>
        <source>医保结算 / 改为自费</source>
        <translation>Insurance settlement / switch to self-pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="33"/>
        <source>挂单 / 取单</source>
        <translation>Hold / Recall</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="34"/>
        <source>登记购买人证件（含麻黄碱类复方制剂）</source>
        <translation>Register the buyer&apos;s ID document (ephedrine-containing compounds)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="35"/>
        <source>删除选中行</source>
        <translation>Delete the selected line</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="37"/>
        <source>补打本次登录最后一张小票（标注重打，记入审计）</source>
        <translation>Reprint the last receipt of this login (marked as a reprint, recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="38"/>
        <source>扫码或输入条码后确认；对话框中确认</source>
        <translation>Confirm a scanned or typed barcode; confirm in dialogs</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="39"/>
        <source>清空扫码框；对话框中取消，不做任何修改</source>
        <translation>Clear the scan field; cancel in dialogs without changing anything</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="40"/>
        <source>选择购物车中的行</source>
        <translation>Choose a line in the cart</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="45"/>
        <source>锁屏（离开收银台时）</source>
        <translation>Lock screen (when leaving the till)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="46"/>
        <source>锁屏（同 F12）</source>
        <translation>Lock screen (same as F12)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="62"/>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="65"/>
        <source>用于</source>
        <translation>Where</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="65"/>
        <source>按键</source>
        <translation>Key</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="65"/>
        <source>作用</source>
        <translation>What it does</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="24"/>
        <source>读卡</source>
        <translation>Card read</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="41"/>
        <source>读社保卡；读卡器故障时重新连接</source>
        <translation>Read the social security card; reconnect a failed card reader</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="42"/>
        <source>核对证件（输入身份证号和姓名）</source>
        <translation>Check ID document (type the ID number and name)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="43"/>
        <source>代购登记</source>
        <translation>Register a proxy purchase</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="25"/>
        <source>全局</source>
        <translation>Everywhere</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="44"/>
        <source>本快捷键表</source>
        <translation>This list of keys</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="47"/>
        <source>切换到左侧列表的第 1…9 个功能</source>
        <translation>Switch to function 1…9 of the list on the left</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="48"/>
        <source>注销（换人登录）</source>
        <translation>Log out (another user logs in)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/keys_help.py" line="49"/>
        <source>退出程序</source>
        <translation>Quit the program</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="65"/>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="75"/>
        <source>屏幕已锁定</source>
        <extracomment>Checks the logged-in user&apos;s password: password -&gt; whether it is right.</extracomment>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="80"/>
        <source>当前用户：{0}</source>
        <translation>Current user: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="82"/>
        <source>长时间无操作，已自动锁屏。请输入密码解锁，或切换用户。</source>
        <translation>The screen locked itself after a period of inactivity. Enter your password to unlock, or switch user.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="89"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="96"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="98"/>
        <source>切换用户(&amp;S)</source>
        <translation>&amp;Switch user</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="136"/>
        <source>请输入密码</source>
        <translation>Enter your password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="152"/>
        <source>解锁时密码错误次数过多，已注销，请重新登录</source>
        <translation>Too many wrong passwords while unlocking; you have been logged out. Please log in again</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="156"/>
        <source>密码错误（再错 {0} 次将注销）</source>
        <translation>Wrong password ({0} more wrong attempts will log you out)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="56"/>
        <source>登录 - {0}</source>
        <extracomment>Logs a user in: (username, password) -&gt; Actor, raising AuthenticationFailed.</extracomment>
        <translation>Log in - {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="65"/>
        <source>药店收银与进销存系统，请登录</source>
        <translation>Pharmacy till and purchases, sales and stock system. Please log in</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="75"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="76"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="84"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="86"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="94"/>
        <source>终端 {0} · {1}</source>
        <translation>Terminal {0} · {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/login_view.py" line="125"/>
        <source>请输入密码</source>
        <translation>Enter your password</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="73"/>
        <source>（未初始化）</source>
        <translation>(not initialised)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="74"/>
        <source>{0} - {1}</source>
        <translation>{0} - {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="89"/>
        <source>当前角色没有可用的功能，请联系系统管理员。</source>
        <translation>Your role has no functions available. Contact the system administrator.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="105"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="121"/>
        <source>系统(&amp;S)</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="122"/>
        <source>锁屏(&amp;L)</source>
        <translation>&amp;Lock screen</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="126"/>
        <source>注销(&amp;O)</source>
        <translation>Log &amp;out</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="129"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="132"/>
        <source>快捷键(&amp;K)</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="141"/>
        <source>功能(&amp;F)</source>
        <translation>&amp;Functions</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="155"/>
        <source>用户: {0}（{1}）</source>
        <translation>User: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="157"/>
        <source>药店: {0} {1}</source>
        <translation>Store: {0} {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="158"/>
        <source>终端: {0}</source>
        <translation>Terminal: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/main_window.py" line="159"/>
        <source>政策版本: {0}</source>
        <translation>Policy {0}</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="118"/>
        <source>养护存疑</source>
        <translation>Maintenance: doubtful batch</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="125"/>
        <source>如：包装破损、变色、受潮、漏液</source>
        <translation>e.g. damaged packaging, discoloured, damp, leaking</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="127"/>
        <source>存疑情况(&amp;N)</source>
        <translation>Fi&amp;ndings</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="128"/>
        <source>Enter 记录存疑并锁定该批次，Esc 取消</source>
        <translation>Enter records the batch as doubtful and locks it; Esc cancels</translation>
    </message>
</context>
<context>
    <name>PayDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="46"/>
        <source>医疗费总额</source>
        <extracomment>Pays the rest: (method, cash tendered or None for the exact amount, consent) -&gt; sale.</extracomment>
        <translation>Total medical expenses</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="46"/>
        <source>全自费金额</source>
        <translation>Fully self-paid amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="47"/>
        <source>乙类先行自付</source>
        <translation>Class B co-payment</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="47"/>
        <source>符合范围金额</source>
        <translation>Amount within coverage</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="48"/>
        <source>起付线自付</source>
        <translation>Deductible paid</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="48"/>
        <source>统筹基金支付</source>
        <translation>Paid by pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="49"/>
        <source>超限额自付</source>
        <translation>Self-paid above the cap</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="49"/>
        <source>个人账户支付</source>
        <translation>Paid from personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="50"/>
        <source>个人现金支付</source>
        <translation>Paid in cash</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="50"/>
        <source>个人账户余额</source>
        <translation>Personal account balance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="51"/>
        <source>统筹基金</source>
        <translation>Pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="51"/>
        <source>个人账户</source>
        <translation>Personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="52"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="52"/>
        <source>微信</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="53"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="53"/>
        <source>银行卡</source>
        <translation>Bank card</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="54"/>
        <source>购物卡/礼券</source>
        <translation>Gift card / voucher</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="70"/>
        <source>结算</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="82"/>
        <source>应收金额</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="88"/>
        <source>医保结算明细</source>
        <translation>Insurance settlement breakdown</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="88"/>
        <source>应收</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="91"/>
        <source>应收现金部分：{0}</source>
        <translation>Cash due: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="102"/>
        <source>已向顾客说明自费部分，顾客同意自费（Alt+C）</source>
        <translation>Self-paid part explained to the customer, who agrees to pay it (Alt+C)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="113"/>
        <source>不填按应收金额</source>
        <translation>Leave blank for the amount due</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="118"/>
        <source>收款方式</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="119"/>
        <source>实收金额</source>
        <translation>Amount tendered</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="120"/>
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="128"/>
        <source>确认收款(Enter)</source>
        <translation>Confirm payment (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="131"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="196"/>
        <source>还差 {0}</source>
        <translation>Short by {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/pay_dialog.py" line="209"/>
        <source>实收金额：{0}</source>
        <translation>Amount tendered: {0}</translation>
    </message>
</context>
<context>
    <name>PolicyView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="188"/>
        <source>政策参数</source>
        <translation>Policy parameters</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="190"/>
        <source>从文件安装新版本…</source>
        <translation>Install new version from file…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="191"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="209"/>
        <source>现行版本</source>
        <translation>Current version</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="210"/>
        <source>统筹区</source>
        <translation>Pooling region</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="211"/>
        <source>生效日期</source>
        <translation>Effective date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="212"/>
        <source>安装</source>
        <translation>Installed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="213"/>
        <source>sha256</source>
        <translation>sha256</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="226"/>
        <source>历史版本</source>
        <translation>Version history</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="249"/>
        <source>尚未安装（使用随附默认政策）</source>
        <translation>Not installed yet (using the bundled default policy)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="251"/>
        <source>{0}，{1}</source>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="259"/>
        <source>选择政策文件</source>
        <translation>Choose a policy file</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="259"/>
        <source>政策文件 (*.toml);;所有文件 (*)</source>
        <translation>Policy files (*.toml);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="283"/>
        <source>已安装政策版本 {0}</source>
        <translation>Policy version {0} installed</translation>
    </message>
</context>
<context>
    <name>PrescriptionDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="48"/>
        <source>商品编码</source>
        <extracomment>Item table columns: (key in the captured data, title; translated by the dialog).</extracomment>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="49"/>
        <source>药品名称</source>
        <translation>Drug name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="50"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="51"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="52"/>
        <source>单次用量</source>
        <translation>Dose</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="53"/>
        <source>用药频次</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="54"/>
        <source>用法</source>
        <translation>Route</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="55"/>
        <source>用药天数</source>
        <translation>Days of supply</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="79"/>
        <source>处方（外配处方录入）</source>
        <translation>Prescription (external prescription entry)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="83"/>
        <source>处方上的编号（如有）</source>
        <translation>Number on the prescription (if any)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="88"/>
        <source>开方医疗机构</source>
        <translation>Prescribing institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="89"/>
        <source>机构编码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="90"/>
        <source>医保定点医疗机构</source>
        <translation>Insurance-designated institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="93"/>
        <source>医师姓名</source>
        <translation>Physician&apos;s name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="94"/>
        <source>医保医师代码</source>
        <translation>Physician&apos;s insurance code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="95"/>
        <source>有医师签名</source>
        <translation>Physician&apos;s signature present</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="97"/>
        <source>有医疗机构印章</source>
        <translation>Institution&apos;s seal present</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="99"/>
        <source>患者姓名</source>
        <translation>Patient&apos;s name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="101"/>
        <source>患者身份证号</source>
        <translation>Patient&apos;s ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="104"/>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="129"/>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="105"/>
        <source>急诊处方</source>
        <translation>Emergency prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="109"/>
        <source>处方编号</source>
        <translation>Prescription no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="110"/>
        <source>开具日期</source>
        <translation>Date issued</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="115"/>
        <source>医疗机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="121"/>
        <source>医师</source>
        <translation>Physician</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="125"/>
        <source>患者</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="139"/>
        <source>处方药品（数量按最小单位）</source>
        <translation>Prescribed drugs (quantities in smallest units)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="149"/>
        <source>导入电子处方(Ctrl+O)</source>
        <translation>Import e-prescription (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="152"/>
        <source>提交药师审核(Enter)</source>
        <translation>Submit for pharmacist review (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="157"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="186"/>
        <source>口服</source>
        <translation>Oral</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="242"/>
        <source>无法读取文件 {0}：{1}</source>
        <translation>Cannot read file {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="250"/>
        <source>导入电子处方</source>
        <translation>Import e-prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/prescription_dialog.py" line="250"/>
        <source>电子处方 (*.json)</source>
        <translation>E-prescriptions (*.json)</translation>
    </message>
</context>
<context>
    <name>PrintQueueDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="200"/>
        <source>打印队列</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="205"/>
        <source>打印内容</source>
        <translation>Printout</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="206"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="207"/>
        <source>已试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="208"/>
        <source>最近一次失败</source>
        <translation>Last failure</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="224"/>
        <source>不打印的原因（必填），如：顾客不要小票</source>
        <translation>Reason for not printing (required), e.g. customer does not want a receipt</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="225"/>
        <source>原因(&amp;Y)</source>
        <translation>Reason (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="227"/>
        <source>重试(&amp;R)</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="229"/>
        <source>不打印(&amp;D)</source>
        <translation>&amp;Don&apos;t print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="244"/>
        <source>↑/↓ 选择&#x3000;Alt+R 重试&#x3000;Alt+Y 填原因&#x3000;Alt+D 不打印所选&#x3000;Esc 关闭</source>
        <translation>↑/↓ Select  Alt+R Retry  Alt+Y Enter reason  Alt+D Don&apos;t print selected  Esc Close</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="297"/>
        <source>请填写不打印的原因</source>
        <translation>Enter the reason for not printing</translation>
    </message>
</context>
<context>
    <name>PrintStatusLine</name>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="132"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="134"/>
        <source>打印队列…</source>
        <translation>Print queue…</translation>
    </message>
</context>
<context>
    <name>ProductSearchDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="227"/>
        <source>查找商品</source>
        <translation>Find product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="232"/>
        <source>商品名称、拼音首字母、编码</source>
        <translation>Product name, pinyin initials or code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="237"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="238"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="239"/>
        <source>生产企业</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="240"/>
        <source>处方</source>
        <translation>Prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="240"/>
        <source>处方药</source>
        <translation>Prescription-only</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="241"/>
        <source>零售价</source>
        <translation>Retail price</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="242"/>
        <source>库存</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="252"/>
        <source>加入(Enter)</source>
        <translation>Add (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="284"/>
        <source>找到 {0} 个商品：↑/↓ 选择，Enter 加入</source>
        <translation>{0} products found: ↑/↓ to select, Enter to add</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="287"/>
        <source>没有找到“{0}”</source>
        <translation>Nothing found for “{0}”</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="320"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
</context>
<context>
    <name>ProxyDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="47"/>
        <source>代购登记</source>
        <extracomment>Records a declaration for the card read on screen; raises ValidationFailed if incomplete.</extracomment>
        <translation>Proxy purchase</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="51"/>
        <source>为他人购药（代购）须登记购药人和参保人的身份证号；参保人卧床不能亲自购药的，另须登记诊断证明或门诊病历的编号。
社保卡：{0}</source>
        <translation>Buying for someone else (proxy purchase) requires the ID numbers of the buyer and the insured person; if the insured person is bed-ridden and cannot come in person, also record the number of the diagnosis certificate or outpatient record.
Social security card: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="58"/>
        <source>18 位，可扫描证件</source>
        <translation>18 characters; the ID document can be scanned</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="64"/>
        <source>按参保人的身份证件录入</source>
        <translation>As on the insured person&apos;s ID document</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="66"/>
        <source>参保人卧床，不能亲自购药(&amp;B)</source>
        <translation>Insured person is &amp;bed-ridden and cannot come in person</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="70"/>
        <source>诊断证明或门诊病历的编号</source>
        <translation>Number of the diagnosis certificate or outpatient record</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="74"/>
        <source>购药人身份证号(&amp;I)</source>
        <translation>Buyer&apos;s &amp;ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="75"/>
        <source>购药人姓名(&amp;N)</source>
        <translation>Buyer&apos;s &amp;name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="76"/>
        <source>参保人身份证号(&amp;P)</source>
        <translation>Insured &amp;person&apos;s ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="78"/>
        <source>证明编号(&amp;C)</source>
        <translation>&amp;Certificate no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="80"/>
        <source>Enter 登记，Esc 取消（取消则不登记任何内容）</source>
        <translation>Enter Record, Esc Cancel (cancelling records nothing)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="88"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/proxy_dialog.py" line="91"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="142"/>
        <source>修改数量</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="152"/>
        <source>{0}（整盒）</source>
        <translation>{0} (whole pack)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="154"/>
        <source>{0}（拆零）</source>
        <translation>{0} (split pack)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="160"/>
        <source>确定(Enter)</source>
        <translation>OK (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="161"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="165"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="166"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/cart_view.py" line="167"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="92"/>
        <source>提交时间</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="93"/>
        <source>终端</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="94"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="95"/>
        <source>患者</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="96"/>
        <source>医疗机构</source>
        <translation>Medical institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="97"/>
        <source>医师</source>
        <translation>Physician</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="98"/>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="99"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="100"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="336"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="354"/>
        <source>请填写原因</source>
        <translation>Enter the reason</translation>
    </message>
</context>
<context>
    <name>ReceivingView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="112"/>
        <source>收货（按随货单）</source>
        <translation>Receiving (by delivery note)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="121"/>
        <source>供应商(&amp;G)</source>
        <translation>&amp;Supplier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="122"/>
        <source>随货单号(&amp;N)</source>
        <translation>Delivery &amp;note no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="126"/>
        <source>发票代码 / 号码</source>
        <translation>Invoice code / number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="127"/>
        <source>随货单</source>
        <translation>Delivery note</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="131"/>
        <source>扫描商品条码，或输入商品编码后按回车</source>
        <translation>Scan the product barcode, or type the product code and press Enter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="138"/>
        <source>每包装</source>
        <translation>per pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="142"/>
        <source>赠品(&amp;F)</source>
        <translation>&amp;Free goods</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="149"/>
        <source>扫码(&amp;B)</source>
        <translation>Scan &amp;barcode</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="150"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="89"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="151"/>
        <source>批号</source>
        <translation>Lot number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="86"/>
        <source>商品编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="87"/>
        <source>品名</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="88"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="90"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="152"/>
        <source>生产日期</source>
        <translation>Manufacture date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="91"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="153"/>
        <source>有效期至</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="92"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="154"/>
        <source>批准文号</source>
        <translation>Approval number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="93"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="155"/>
        <source>进价</source>
        <translation>Purchase price</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="94"/>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="156"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="95"/>
        <source>赠品</source>
        <translation>Free goods</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="96"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="157"/>
        <source>商品行</source>
        <translation>Product line</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="177"/>
        <source>保存收货(Ctrl+S)</source>
        <translation>Save receiving (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="189"/>
        <source>扫码后回车逐项填写，数量处回车加入本单&#x3000;Del 删除行&#x3000;回车 修改所选行&#x3000;Ctrl+S 保存&#x3000;保存后货物待质量验收，不能销售</source>
        <translation>After scanning, press Enter to fill in each field; Enter on the quantity adds the line  Del Delete line  Enter Edit selected line  Ctrl+S Save  Saved goods wait for quality acceptance and cannot be sold</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="249"/>
        <source>{0}（许可证已过期）</source>
        <translation>{0} (licence expired)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="273"/>
        <source>{0} {1}（{2}，每{3} {4}{5}）</source>
        <translation>{0} {1} ({2}, {4}{5} per {3})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="299"/>
        <source>（请先扫码）</source>
        <translation>(scan first)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="346"/>
        <source>共 {0} 行</source>
        <translation>{0} lines</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="358"/>
        <source>请先选择供应商</source>
        <translation>Select the supplier first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/receiving_view.py" line="387"/>
        <source>已收货 {0}：{1} 行，金额 {2} 元。货物待质量验收，验收合格前不能销售。</source>
        <translation>Received {0}: {1} lines, amount {2} yuan. The goods wait for quality acceptance and cannot be sold until accepted.</translation>
    </message>
</context>
<context>
    <name>RefuseDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="198"/>
        <source>拒绝调配</source>
        <translation>Refuse dispensing</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="200"/>
        <source>拒绝调配处方 {0}（患者 {1}）。请选择原因：</source>
        <translation>Refuse to dispense prescription {0} (patient {1}). Choose the reason:</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="208"/>
        <source>{0}(&amp;{1})</source>
        <translation>{0} (&amp;{1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="216"/>
        <source>原因为“其他”时必填</source>
        <translation>Required when the reason is “Other”</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="218"/>
        <source>说明(&amp;N)</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="220"/>
        <source>确认拒绝(Enter)</source>
        <translation>Confirm refusal (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="223"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="84"/>
        <source>拒收</source>
        <translation>Refuse goods</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="86"/>
        <source>{0} 第 {1} 行：{2} 批号 {3}，到货 {4}</source>
        <translation>{0} line {1}: {2} lot {3}, delivered {4}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="100"/>
        <source>必填，如：外包装破损、无检验报告</source>
        <translation>Required, e.g. outer packaging damaged, no test report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="109"/>
        <source>合格数量(&amp;Q)</source>
        <translation>Accepted &amp;quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="112"/>
        <source>拒收原因(&amp;R)</source>
        <translation>&amp;Reason for refusal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="114"/>
        <source>确认拒收(Enter)</source>
        <translation>Confirm refusal (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/acceptance_view.py" line="117"/>
        <source>取消(Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="56"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="58"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="55"/>
        <source>导出 XLSX(F6)</source>
        <extracomment>The keys of the export buttons, in the order of FORMATS. format -&gt; (button text, file filter, suffix); texts translated by ReportsView.</extracomment>
        <translation>Export XLSX (F6)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="57"/>
        <source>导出 CSV(F7)</source>
        <translation>Export CSV (F7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="59"/>
        <source>导出 PDF(F8)</source>
        <translation>Export PDF (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="60"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="73"/>
        <source>进销存月报</source>
        <extracomment>The catalogue&apos;s report titles (reports.catalog.REPORTS), marked for lupdate: the list shows them in the interface language; the reports themselves stay Chinese documents.</extracomment>
        <translation>Monthly purchases, sales and stock report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="74"/>
        <source>医保结算对账表</source>
        <translation>Insurance settlement reconciliation</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="75"/>
        <source>外配处方费用月度统计表</source>
        <translation>Monthly statement of external prescription costs</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="76"/>
        <source>医保购药分类台帐</source>
        <translation>Insured purchases ledger by category</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="77"/>
        <source>医保自查报告</source>
        <translation>Insurance self-inspection report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="90"/>
        <source>{0}年{1}月</source>
        <translation>{0}-{1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="92"/>
        <source>{0} 至 {1}</source>
        <translation>{0} to {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="101"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="116"/>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="127"/>
        <source>按日期范围</source>
        <translation>By date range</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="137"/>
        <source>生成 (F5)</source>
        <translation>Generate (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="144"/>
        <source>报表(&amp;R)</source>
        <translation>&amp;Report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="148"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="152"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="211"/>
        <source>结束日期不能早于开始日期</source>
        <translation>The end date cannot be before the start date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="238"/>
        <source>已取消生成</source>
        <translation>Generation cancelled</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="240"/>
        <source>正在生成 {0}（{1}）…</source>
        <translation>Generating {0} ({1})…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="241"/>
        <source>正在生成{0}…</source>
        <translation>Generating {0}…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="241"/>
        <source>生成报表</source>
        <translation>Generate report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="247"/>
        <source>已生成：{0} 个表，{1} 行</source>
        <translation>Generated: {0} tables, {1} rows</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="252"/>
        <source>{0}&#x3000;门店：{1}&#x3000;期间：{2}&#x3000;生成：{3}</source>
        <translation>{0}  Store: {1}  Period: {2}  Generated: {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="299"/>
        <source>无导出报表的权限</source>
        <translation>You are not allowed to export reports</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="316"/>
        <source>已取消导出，未生成文件</source>
        <translation>Export cancelled; no file was written</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="317"/>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="318"/>
        <source>正在导出 {0}…</source>
        <translation>Exporting {0}…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="318"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/reports_view.py" line="323"/>
        <source>已导出：{0}</source>
        <translation>Exported: {0}</translation>
    </message>
</context>
<context>
    <name>ReturnLinesModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="217"/>
        <source>商品</source>
        <extracomment>Column of the units to return. Emitted after the cashier changed a line&apos;s units.</extracomment>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="217"/>
        <source>已售</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="217"/>
        <source>已退</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="217"/>
        <source>可退</source>
        <translation>Returnable</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="218"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="218"/>
        <source>本次退货</source>
        <translation>Return now</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="218"/>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
</context>
<context>
    <name>ReturnView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="416"/>
        <source>退货</source>
        <extracomment>Emitted with the ``CompletedReturn`` after a return is recorded.</extracomment>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="420"/>
        <source>扫描小票条码或输入小票号，按 Enter 查找</source>
        <translation>Scan the receipt barcode or type the receipt no., press Enter to find it</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="422"/>
        <source>查找(Enter)</source>
        <translation>Find (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="424"/>
        <source>原销售小票号(&amp;R)</source>
        <translation>Original sale &amp;receipt no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="437"/>
        <source>医保结算的销售只能整单退货：医保撤销结算为整单撤销，统筹基金和个人账户原路退回。数量已锁定为全部可退数量；如只退部分药品，请整单退货后重新结算其余药品。</source>
        <translation>A sale settled by insurance can only be returned as a whole: the insurance settlement is reversed as a whole, and the pooled fund and personal account are refunded the way they paid. Quantities are locked to everything returnable; to return only some drugs, return the whole sale and then check out the rest again.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="457"/>
        <source>全部退(F8)</source>
        <translation>Return all (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="463"/>
        <source>必填，如：顾客买重了、质量问题</source>
        <translation>Required, e.g. customer bought twice, quality problem</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="465"/>
        <source>退货原因(&amp;Y)</source>
        <translation>Return reaso&amp;n</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="475"/>
        <source>店长审批并退货(F9)</source>
        <translation>Manager approval and return (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="489"/>
        <source>Enter 查找小票&#x3000;表格中输入数字或 F2 修改本次退货数量&#x3000;F8 全部退&#x3000;F9 店长审批并退货</source>
        <translation>Enter Find receipt  Type a number in the table or press F2 to change the quantity to return  F8 Return all  F9 Manager approval and return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="531"/>
        <source>此单已全部退货（{0}），没有可退的商品</source>
        <translation>This sale has already been fully returned ({0}); nothing left to return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="532"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="567"/>
        <source>、</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="551"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="599"/>
        <source>请扫描或输入原销售小票号</source>
        <translation>Scan or type the original sale receipt no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="553"/>
        <source>合计 {0}</source>
        <translation>Total {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="555"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="578"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="654"/>
        <source>统筹基金 {0}</source>
        <translation>Pooled fund {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="557"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="580"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="655"/>
        <source>个人账户 {0}</source>
        <translation>Personal account {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="561"/>
        <source>小票 {0}&#x3000;{1}&#x3000;收银员 {2}&#x3000;{3}&#x3000;{4}</source>
        <translation>Receipt {0}  {1}  Cashier {2}  {3}  {4}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="563"/>
        <source>医保结算</source>
        <translation>Insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="563"/>
        <source>自费</source>
        <translation>Self-pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="564"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="585"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="660"/>
        <source>，</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="566"/>
        <source>已有退货单：{0}</source>
        <translation>Earlier returns: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="574"/>
        <source>退款预览：{0}</source>
        <translation>Refund preview: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="584"/>
        <source>退款预览：{0}（{1}）</source>
        <translation>Refund preview: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="606"/>
        <source>没有打开小票“{0}”：请核对小票号后重新扫描</source>
        <translation>Receipt “{0}” was not opened: check the receipt no. and scan again</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="634"/>
        <source>请在表格中填写本次退货数量（F8 全部退）</source>
        <translation>Enter the quantities to return in the table (F8 Return all)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="639"/>
        <source>请填写退货原因</source>
        <translation>Enter the reason for the return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="643"/>
        <source>原小票 {0}，退 {1} 项商品，退款 {2}。
原因：{3}</source>
        <translation>Original receipt {0}: return {1} items, refund {2}.
Reason: {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="559"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="582"/>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="656"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="86"/>
        <source>（{0}{1}）</source>
        <extracomment>Reason text kept by the service (longer text is cut there). Item-data role giving the most units a line&apos;s editor accepts.</extracomment>
        <translation> ({0} {1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="188"/>
        <source>请先扫描或输入原销售小票号</source>
        <translation>Scan or type the original sale&apos;s receipt number first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/return_view.py" line="658"/>
        <source>退货完成：退货单 {0}（原小票 {1}），退款合计 {2}：{3}。审批人：{4}</source>
        <translation>Return done: return {0} (original receipt {1}), total refund {2}: {3}. Approved by: {4}</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="71"/>
        <source>纸质</source>
        <extracomment>How often the queue is re-read while the screen is shown (other tills submit). Signs or refuses the prescription a dialog was opened for.</extracomment>
        <translation>Paper</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="72"/>
        <source>电子</source>
        <translation>Electronic</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="73"/>
        <source>本店</source>
        <translation>In-store</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="80"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="82"/>
        <source>{0}，已调配</source>
        <translation>{0}, dispensed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="264"/>
        <source>处方审核</source>
        <translation>Prescription review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="268"/>
        <source>审核通过(F9)</source>
        <translation>Approve (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="270"/>
        <source>拒绝(F10)</source>
        <translation>Refuse (F10)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="272"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="297"/>
        <source>↑/↓ 选择处方&#x3000;F9 审核通过&#x3000;F10 拒绝&#x3000;F5 刷新</source>
        <translation>↑/↓ Select prescription  F9 Approve  F10 Refuse  F5 Refresh</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="324"/>
        <source>处方编号</source>
        <translation>Prescription no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="324"/>
        <source>开具日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="325"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="325"/>
        <source>医疗机构</source>
        <translation>Medical institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="326"/>
        <source>医师</source>
        <translation>Physician</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="326"/>
        <source>患者</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="327"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="327"/>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="328"/>
        <source>类别</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="328"/>
        <source>审核状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="336"/>
        <source>处方</source>
        <translation>Prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="340"/>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="349"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="341"/>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="350"/>
        <source>药品</source>
        <translation>Drug</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="342"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="343"/>
        <source>单次用量</source>
        <translation>Dose</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="344"/>
        <source>频次</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="345"/>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="351"/>
        <source>调配数量（最小单位）</source>
        <translation>Quantity dispensed (smallest unit)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="355"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="356"/>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="358"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="378"/>
        <source>处方药品（按处方所写）</source>
        <translation>Prescribed drugs (as written)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="379"/>
        <source>本次调配</source>
        <translation>Dispensed now</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="380"/>
        <source>规则提示</source>
        <translation>Rule findings</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="414"/>
        <source>待审核 {0} 张</source>
        <translation>{0} waiting for review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="464"/>
        <source>急诊</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="466"/>
        <source>慢病：{0}</source>
        <translation>Chronic disease: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="479"/>
        <source>普通</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="479"/>
        <source>，</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="492"/>
        <source>无规则提示</source>
        <translation>No rule findings</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="495"/>
        <source>{0} 项提示，其中禁止 {1} 项</source>
        <translation>{0} findings, {1} of them blocking</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="502"/>
        <source>；原因：{0}</source>
        <translation>; reason: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="504"/>
        <source>；说明：{0}</source>
        <translation>; note: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="554"/>
        <source>已签字审核通过，收银台可以结算</source>
        <translation>Approved and signed; the till can now take payment</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/review_view.py" line="557"/>
        <source>已拒绝调配（{0}），收银台将被拦截</source>
        <translation>Dispensing refused ({0}); the till will be blocked</translation>
    </message>
</context>
<context>
    <name>SectionTableModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/report_model.py" line="97"/>
        <source>小计</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_model.py" line="97"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="95"/>
        <source>交班报表</source>
        <translation>Shift handover report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/history_view.py" line="107"/>
        <source>打印(Enter)</source>
        <translation>Print (Enter)</translation>
    </message>
</context>
<context>
    <name>StockkeepingView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="216"/>
        <source>养护与效期</source>
        <extracomment>Emitted after anything was recorded (a check, release, destruction, split).</extracomment>
        <translation>Maintenance and expiry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="82"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="244"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="360"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="59"/>
        <source>合格</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="60"/>
        <source>存疑（已锁定）</source>
        <translation>Doubtful (locked)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="61"/>
        <source>未查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="75"/>
        <source>{0}（拆零）</source>
        <translation>{0} (split pack)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="83"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="245"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="338"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="361"/>
        <source>通用名</source>
        <translation>Generic name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="84"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="246"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="339"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="362"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="85"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="247"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="340"/>
        <source>批号</source>
        <translation>Lot number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="86"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="248"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="342"/>
        <source>有效期至</source>
        <translation>Expires</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="88"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="89"/>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="249"/>
        <source>库存</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="90"/>
        <source>成本金额</source>
        <translation>Cost value</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="250"/>
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="251"/>
        <source>情况</source>
        <translation>Findings</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="252"/>
        <source>检查人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="256"/>
        <source>↑/↓ 选择批次&#x3000;Enter 合格&#x3000;D 存疑（写明情况，批次立即锁定停售）</source>
        <translation>↑/↓ Select batch  Enter Passed  D Doubtful (describe the findings; the batch is locked from sale at once)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="262"/>
        <source>月度养护</source>
        <translation>Monthly maintenance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="270"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="270"/>
        <source>{0} 天内</source>
        <translation>Within {0} days</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="277"/>
        <source>近效期</source>
        <translation>Near expiry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="286"/>
        <source>必填，如：过期、破损、召回、复查合格</source>
        <translation>Required, e.g. expired, damaged, recalled, passed on recheck</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="287"/>
        <source>原因(&amp;Y)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="289"/>
        <source>标记过期批次(F5)</source>
        <translation>Mark expired batches (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="292"/>
        <source>店长解除锁定(F6)</source>
        <translation>Manager unlock (F6)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="295"/>
        <source>销毁(F7)</source>
        <translation>Destroy (F7)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="304"/>
        <source>选择批次，填写原因：F6 店长解除锁定；F7 销毁全部剩余库存（经办人与店长两人，店长在本机输入用户名和密码）</source>
        <translation>Select a batch and enter the reason: F6 manager unlock; F7 destroy all remaining stock (two people: the operator and a store manager, who enters a username and password on this terminal)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="315"/>
        <source>锁定/过期</source>
        <translation>Locked / expired</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="324"/>
        <source>拆开整包数(&amp;K)</source>
        <translation>Pac&amp;ks to open</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="326"/>
        <source>拆零(F8)</source>
        <translation>Split pack (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="336"/>
        <source>拆零单号</source>
        <translation>Split pack no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="337"/>
        <source>拆零时间</source>
        <translation>Split at</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="341"/>
        <source>生产企业</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="343"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="344"/>
        <source>拆零人</source>
        <translation>Split by</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="345"/>
        <source>复核人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="349"/>
        <source>可拆零批次（允许拆零、在售、未过期的整包）</source>
        <translation>Batches that can be split (whole packs allowed to split, on sale, not expired)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="352"/>
        <source>拆零记录</source>
        <translation>Split pack records</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="355"/>
        <source>拆零</source>
        <translation>Split packs</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="363"/>
        <source>可售库存</source>
        <translation>Sellable stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="364"/>
        <source>近期销量</source>
        <translation>Recent sales</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="364"/>
        <source>{0}{1}/{2}天</source>
        <translation>{0}{1}/{2} days</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="366"/>
        <source>最低库存</source>
        <translation>Minimum stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="367"/>
        <source>订货点</source>
        <translation>Reorder point</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="368"/>
        <source>建议采购</source>
        <translation>Suggested order</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="373"/>
        <source>缺货建议</source>
        <translation>Reorder suggestions</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="386"/>
        <source>{0} 天内 {1} 批，{2}</source>
        <translation>within {0} days: {1} batches, {2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="388"/>
        <source>近效期合计 {0}：{1}</source>
        <translation>Near expiry total {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="389"/>
        <source>；</source>
        <comment>list separator</comment>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="403"/>
        <source>{0} 月度养护：共 {1} 批，已查 {2} 批</source>
        <translation>{0} monthly maintenance: {1} batches, {2} checked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="445"/>
        <source>{0} {1} 批号 {2}：写明存疑情况，记录后该批次锁定停售</source>
        <translation>{0} {1} lot {2}: describe why it is doubtful; once recorded, the batch is locked from sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="454"/>
        <source>存疑须写明情况，未记录</source>
        <translation>A doubtful result needs a description; nothing recorded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="469"/>
        <source>{0} 批号 {1}：{2}</source>
        <translation>{0} lot {1}: {2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="484"/>
        <source>请先在表格中选择批次</source>
        <translation>Select a batch in the table first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="489"/>
        <source>请填写原因</source>
        <translation>Enter the reason</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="498"/>
        <source>已标记过期 {0} 个批次</source>
        <translation>{0} batches marked expired</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="510"/>
        <source>店长解除锁定</source>
        <translation>Manager unlock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="510"/>
        <source>解除锁定(Enter)</source>
        <translation>Unlock (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="511"/>
        <source>{0} 批号 {1} 解除锁定、恢复销售。
原因：{2}</source>
        <translation>Unlock {0} lot {1} and return it to sale.
Reason: {2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="513"/>
        <source>批号 {0} 已解除锁定，恢复销售</source>
        <translation>Lot {0} unlocked and back on sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="523"/>
        <source>店长复核销毁</source>
        <translation>Manager check of destruction</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="523"/>
        <source>复核并销毁(Enter)</source>
        <translation>Check and destroy (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="524"/>
        <source>销毁 {0} 批号 {1} 全部剩余库存 {2}（成本 {3}）。
原因：{4}
须由经办人以外的店长输入用户名和密码。</source>
        <translation>Destroy all remaining stock of {0} lot {1}: {2} (cost {3}).
Reason: {4}
A store manager other than the operator must enter a username and password.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="528"/>
        <source>销毁单 {0}：批号 {1} 销毁 {2}，复核人 {3}</source>
        <translation>Destruction {0}: lot {1}, {2} destroyed, checked by {3}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="536"/>
        <source>请先选择要拆零的批次</source>
        <translation>Select the batch to split first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="544"/>
        <source>拆零复核</source>
        <translation>Split pack check</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="544"/>
        <source>复核并拆零(Enter)</source>
        <translation>Check and split (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="545"/>
        <source>拆开 {0} 批号 {1} 共 {2}{3}，转为拆零批次。
须由另一位药师、质量人员或店长复核。</source>
        <translation>Open {2}{3} of {0} lot {1} into a split-pack batch.
Another pharmacist, quality inspector or store manager must check it.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stockkeeping_view.py" line="548"/>
        <source>拆零单 {0}：{1} {2}{3}，拆零人 {4}，复核人 {5}</source>
        <translation>Split pack {0}: {1} {2}{3}, split by {4}, checked by {5}</translation>
    </message>
</context>
<context>
    <name>StocktakeView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="245"/>
        <source>盘点</source>
        <extracomment>Emitted with the ``ApprovalResult`` once a manager approved.</extracomment>
        <translation>Stock-take</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="250"/>
        <source>开始盘点(F2)</source>
        <translation>Start stock-take (F2)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="261"/>
        <source>扫描商品条码，按 Enter</source>
        <translation>Scan the product barcode, press Enter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="263"/>
        <source>商品条码(&amp;B)</source>
        <translation>&amp;Barcode</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="266"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="307"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="320"/>
        <source>品名</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="267"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="308"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="321"/>
        <source>批号</source>
        <translation>Lot number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="268"/>
        <source>有效期</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="269"/>
        <source>账面(开始时)</source>
        <translation>Book (at start)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="272"/>
        <source>已盘</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="285"/>
        <source>实盘数量，按 Enter</source>
        <translation>Counted quantity, press Enter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="287"/>
        <source>实盘数量(&amp;Q)</source>
        <translation>Counted &amp;quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="289"/>
        <source>按包装计数(F4)</source>
        <translation>Count in packs (F4)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="306"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="319"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="309"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="322"/>
        <source>账面</source>
        <translation>Book</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="310"/>
        <source>实盘</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="311"/>
        <source>差异</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="312"/>
        <source>金额(进价)</source>
        <translation>Amount (purchase price)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="329"/>
        <source>差异表（已盘批次）</source>
        <translation>Differences (counted batches)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="330"/>
        <source>未盘批次（不调整）</source>
        <translation>Uncounted batches (not adjusted)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="334"/>
        <source>差异表(F5)</source>
        <translation>Differences (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="337"/>
        <source>店长审批入账(F9)</source>
        <translation>Manager approval and posting (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="340"/>
        <source>作废盘点(F10)</source>
        <translation>Void stock-take (F10)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="352"/>
        <source>差异 = 实盘 − 盘点时账面（开始时账面 + 其后至清点时的进出），盘点期间照常销售不算盘亏。审批只调整已盘批次，未盘批次保持账面数。</source>
        <translation>Difference = counted − book at the time of counting (book at start + movements in and out until the count), so normal sales during the stock-take are not a loss. Approval adjusts only counted batches; uncounted batches keep their book quantity.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="405"/>
        <source>没有进行中的盘点，按 F2 开始（开始时记录账面库存）</source>
        <translation>No stock-take in progress; press F2 to start (book stock is recorded at the start)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="408"/>
        <source>已审批入账</source>
        <translation>approved and posted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="408"/>
        <source>已作废</source>
        <translation>voided</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="409"/>
        <source>盘点单 {0} {1}。按 F2 开始新的盘点</source>
        <translation>Stock-take {0} {1}. Press F2 to start a new stock-take</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="413"/>
        <source>盘点单 {0}（{1} 由 {2} 开始）第 {3} 次盘点：已盘 {4} 批，账面 {5} 批中未盘 {6} 批</source>
        <translation>Stock-take {0} (started {1} by {2}), count session {3}: {4} batches counted; {6} of {5} book batches not counted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="429"/>
        <source>正在盘点：{0} {1} 批号 {2}（每{3} {4}{5}），数量单位：{6}</source>
        <translation>Counting: {0} {1} lot {2} ({4}{5} per {3}), quantity unit: {6}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="438"/>
        <source>已开始盘点 {0}：记录了 {1} 个批次的账面库存</source>
        <translation>Stock-take {0} started: book stock recorded for {1} batches</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="465"/>
        <source>请输入实盘数量</source>
        <translation>Enter the counted quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="468"/>
        <source>该商品有 {0} 个批次：用 ↑↓ 选择药盒上的批号，按 Enter</source>
        <translation>This product has {0} batches: use ↑↓ to select the lot number on the box, press Enter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="493"/>
        <source>（替换之前的 {0}{1}）</source>
        <translation> (replaces the earlier {0}{1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="495"/>
        <source>已记录：{0} 批号 {1} 实盘 {2}{3}{4}</source>
        <translation>Recorded: {0} lot {1} counted {2}{3}{4}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="585"/>
        <source>盘盈</source>
        <translation>Surplus</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="586"/>
        <source>盘亏</source>
        <translation>Shortage</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="587"/>
        <source>相符</source>
        <translation>Matches</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="593"/>
        <source>{0}{1}（{2}）</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="151"/>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="509"/>
        <source>没有进行中的盘点：请按 F2 开始盘点</source>
        <translation>No stock-take in progress: press F2 to start one</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="113"/>
        <source>请先扫描商品条码并选择批号</source>
        <translation>Scan the product barcode and choose a lot number first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="158"/>
        <source>盘点单 {0} 已结束：请按 F2 开始新的盘点</source>
        <translation>Stock-take {0} has ended: press F2 to start a new one</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="523"/>
        <source>已盘 {0} 批，有差异 {1} 批：盘盈 {2}，盘亏 {3}，净额 {4}；未盘 {5} 批不调整</source>
        <translation>{0} batches counted, {1} with a difference: gain {2}, loss {3}, net {4}; {5} uncounted batches not adjusted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="537"/>
        <source>盘点单 {0}：{1}
审批后按差异生成盘盈、盘亏分录（只调整已盘批次）。</source>
        <translation>Stock-take {0}: {1}
Approval posts gain and loss entries for the differences (counted batches only).</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="542"/>
        <source>店长审批盘点</source>
        <translation>Manager approval of stock-take</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="542"/>
        <source>审批意见(&amp;N)</source>
        <translation>Approval &amp;note</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="543"/>
        <source>审批入账(Enter)</source>
        <translation>Approve and post (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="549"/>
        <source>作废盘点单 {0}：不生成任何库存分录，已录入的盘点记录保留备查。</source>
        <translation>Void stock-take {0}: no stock entries are made; the counts entered are kept for reference.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="553"/>
        <source>店长作废盘点</source>
        <translation>Manager void of stock-take</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="553"/>
        <source>作废原因(&amp;N)</source>
        <translation>Void reaso&amp;n</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="554"/>
        <source>作废(Enter)</source>
        <translation>Void (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="563"/>
        <source>盘点单 {0} 已由 {1} 审批入账：{2} 条盘盈/盘亏分录，盘盈 {3}，盘亏 {4}；未盘 {5} 批未调整</source>
        <translation>Stock-take {0} approved and posted by {1}: {2} gain/loss entries, gain {3}, loss {4}; {5} uncounted batches not adjusted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/stocktake_view.py" line="571"/>
        <source>盘点单已作废，未调整任何库存</source>
        <translation>Stock-take voided; no stock was adjusted</translation>
    </message>
</context>
<context>
    <name>TillView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="216"/>
        <source>请先读取社保卡</source>
        <extracomment>How often the settlement verdict is asked again while a card is on screen.</extracomment>
        <translation>Read the social security card first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="414"/>
        <source>收银</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="419"/>
        <source>读卡(F9)</source>
        <translation>Read card (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="555"/>
        <source>读卡未能记录，请取出社保卡后重新插卡</source>
        <translation>The card read could not be recorded; take out the social security card and insert it again</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="558"/>
        <source>[ID-7] 已读取另一张社保卡：本单改为自费，如需医保结算请按 F5</source>
        <translation>[ID-7] Another social security card was read: this sale is now self-pay; press F5 for insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="569"/>
        <source>读卡失败：{0}</source>
        <translation>Card read failed: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="578"/>
        <source>读卡器不可用：{0}</source>
        <translation>Card reader unavailable: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="585"/>
        <source>正在读卡，请勿拔卡…</source>
        <translation>Reading card, do not remove it…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="627"/>
        <source>请输入或扫描证件上的身份证号</source>
        <translation>Type or scan the ID number on the ID document</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="697"/>
        <source>已改为自费结算</source>
        <translation>Changed to self-pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="703"/>
        <source>本单按医保结算：{0}（{1}）</source>
        <translation>This sale is settled by insurance: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="707"/>
        <source>[ID-5] 不能医保结算：代购须先登记购药人和参保人的身份证号（F8）</source>
        <translation>[ID-5] Insurance settlement not possible: for a proxy purchase, first record the ID numbers of the buyer and the insured person (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="709"/>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="824"/>
        <source>不能医保结算：{0}</source>
        <translation>Insurance settlement not possible: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="733"/>
        <source>[ID-7] 社保卡已拔出：本单改为自费结算，如需医保结算请重新插卡、核对证件后按 F5</source>
        <translation>[ID-7] The social security card was removed: this sale is now self-pay; for insurance settlement insert the card again, check the ID document, then press F5</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="740"/>
        <source>读卡器：插卡即自动读取</source>
        <translation>Card reader: reads automatically when a card is inserted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="742"/>
        <source>读卡器未连接</source>
        <translation>Card reader not connected</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="744"/>
        <source>读卡器：插卡后按 F9 读卡</source>
        <translation>Card reader: insert the card, then press F9 to read it</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="746"/>
        <source>本终端未配置读卡器：不能医保结算</source>
        <translation>No card reader here: no insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="750"/>
        <source>Enter 扫码&#x3000;Esc 清空&#x3000;↑/↓ 选行&#x3000;Ctrl+I 核对证件&#x3000;F8 代购登记</source>
        <translation>Enter Scan  Esc Clear  ↑/↓ Select line  Ctrl+I Check ID document  F8 Proxy purchase</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="752"/>
        <source>F9 读卡&#x3000;</source>
        <translation>F9 Read card  </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="754"/>
        <source>&#x3000;F9 重新连接读卡器（读卡器故障时）</source>
        <translation>  F9 Reconnect card reader (if it fails)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="797"/>
        <source>证件与社保卡一致（人证卡一致）</source>
        <translation>ID document matches the social security card (person, ID and card agree)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="810"/>
        <source>可医保结算：{0}（{1}），卡号 {2}</source>
        <translation>Insurance settlement possible: {0} ({1}), card no. {2}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="814"/>
        <source>；代购人 {0}</source>
        <translation>; proxy buyer {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="820"/>
        <source>[ID-5] 不能继续：代购须先登记购药人和参保人的身份证号（F8）</source>
        <translation>[ID-5] Cannot continue: for a proxy purchase, first record the ID numbers of the buyer and the insured person (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="829"/>
        <source>（卡内未读出）</source>
        <translation>(not read from card)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="830"/>
        <source>未设定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="832"/>
        <source>{0}（已过期）</source>
        <translation>{0} (expired)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="834"/>
        <source>{0} 读取，用时 {1:.0f} 毫秒</source>
        <translation>Read at {0} in {1:.0f} ms</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="836"/>
        <source>；今日第 {0} 次</source>
        <translation>; visit {0} today</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="848"/>
        <source>请插入社保卡</source>
        <translation>Insert the social security card</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="849"/>
        <source>请扣留此卡，并立即通知医保经办机构</source>
        <translation>Retain this card and notify the insurance agency at once</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="850"/>
        <source>此卡不能医保结算</source>
        <translation>This card cannot be used for insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="851"/>
        <source>人证卡不一致，不能医保结算</source>
        <translation>Person, ID document and card do not match: insurance settlement not possible</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="852"/>
        <source>待核对证件</source>
        <translation>ID document to be checked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="853"/>
        <source>待登记代购</source>
        <translation>Proxy purchase to be recorded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="854"/>
        <source>可医保结算</source>
        <translation>Ready for insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="855"/>
        <source>不能医保结算</source>
        <translation>Insurance settlement not possible</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="862"/>
        <source>已登记代购：购药人 {0}（{1}）</source>
        <translation>Proxy purchase recorded: buyer {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="866"/>
        <source>；参保人卧床，证明编号 {0}</source>
        <translation>; insured person bed-ridden, certificate no. {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="869"/>
        <source>代购尚未登记：登记购药人和参保人的身份证号后才能继续（F8）</source>
        <translation>Proxy purchase not recorded yet: record the ID numbers of the buyer and the insured person to continue (F8)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/till_view.py" line="870"/>
        <source>参保人本人购药，无需登记</source>
        <translation>The insured person is buying in person; nothing to record</translation>
    </message>
</context>
<context>
    <name>TrainingWatermark</name>
    <message>
        <location filename="../../pharmacy_pos/ui/training.py" line="29"/>
        <source>培训模式 · 非真实交易</source>
        <extracomment>Object name of the overlay (tests and screenshots look for it). Spacing of the repeated text, in pixels.</extracomment>
        <translation>Training mode · not a real transaction</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/training.py" line="71"/>
        <source>【培训模式】</source>
        <translation>[Training mode]</translation>
    </message>
</context>
<context>
    <name>UploadDetailDialog</name>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="267"/>
        <source>上传记录 {0}</source>
        <translation>Upload record {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="271"/>
        <source>{0}&#x3000;单据号 {1}&#x3000;流水号 {2}&#x3000;状态 {3}&#x3000;次数 {4}</source>
        <translation>{0}  Document no. {1}  Serial no. {2}  Status {3}  Tries {4}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="282"/>
        <source>已更正：更正单据 {0}</source>
        <translation>Corrected: correction document {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="283"/>
        <source>、</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="284"/>
        <source>* 为必填字段；红底为缺少的必填字段</source>
        <translation>* marks a required field; red marks a required field that is missing</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="285"/>
        <source>&#x3000;</source>
        <comment>separator</comment>
        <translation>  </translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="302"/>
        <source>请求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="303"/>
        <source>应答</source>
        <translation>Response</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="311"/>
        <source>上传记录（共 {0} 次）</source>
        <translation>Upload tries ({0} in all)</translation>
    </message>
</context>
<context>
    <name>UploadsView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="467"/>
        <source>医保上传</source>
        <extracomment>A correction was written (the new record waits for the uploader).</extracomment>
        <translation>Insurance uploads</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="494"/>
        <source>立即上传(F5)</source>
        <translation>Upload now (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="497"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="499"/>
        <source>查看(Enter)</source>
        <translation>View (Enter)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="501"/>
        <source>更正重传(F9)</source>
        <translation>Correct and resend (F9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="505"/>
        <source>仅店长可更正重传</source>
        <translation>Only a store manager can correct and resend</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="507"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="582"/>
        <source>待上传 {0}</source>
        <translation>Waiting to upload {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="584"/>
        <source>（最早 {0}）</source>
        <translation> (oldest {0})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="586"/>
        <source>，另有 {0} 张新单据待整理</source>
        <translation>, plus {0} new documents to be prepared</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="588"/>
        <source>被拒绝 {0}</source>
        <translation>Refused {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="591"/>
        <source>已上传 {0}</source>
        <translation>Uploaded {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="592"/>
        <source>最近成功 {0}</source>
        <translation>Last success {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="595"/>
        <source>最近一次 —</source>
        <translation>Last try —</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="597"/>
        <source>最近一次 {0} {1}</source>
        <translation>Last try {0} {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="600"/>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="602"/>
        <source>上传终端 {0}</source>
        <translation>Uploading terminal {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="634"/>
        <source>上传暂停：{0}（稍后自动重试）</source>
        <translation>Upload paused: {0} (will retry automatically)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="641"/>
        <source>已上传 {0} 条，被拒绝 {1} 条，剩余 {2} 条</source>
        <translation>{0} uploaded, {1} refused, {2} remaining</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="644"/>
        <source>；已暂停：{0}</source>
        <translation>; paused: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="658"/>
        <source>已通知上传线程立即上传，完成后自动刷新</source>
        <translation>The uploader has been told to upload now; the list refreshes when it finishes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="664"/>
        <source>正在上传到医保平台…</source>
        <translation>Uploading to the insurance platform…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="666"/>
        <source>立即上传</source>
        <translation>Upload now</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="677"/>
        <source>正在上传到医保平台… {0}/{1}</source>
        <translation>Uploading to the insurance platform… {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="683"/>
        <source>正在上传…</source>
        <translation>Uploading…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="710"/>
        <source>没有待上传的记录</source>
        <translation>Nothing is waiting to upload</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="722"/>
        <source>已刷新</source>
        <translation>Refreshed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="803"/>
        <source>已更正，写入 {0} 条待上传记录</source>
        <translation>Corrected: {0} records written, waiting to upload</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="27"/>
        <source>用户名</source>
        <extracomment>The time lockouts are compared with; the screen sets it from the clock.</extracomment>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="28"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="29"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="31"/>
        <source>执业药师资格证号</source>
        <translation>Licensed pharmacist certificate no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="33"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="40"/>
        <source>已冻结</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="42"/>
        <source>登录锁定至 {0}</source>
        <translation>Login locked until {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="43"/>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_model.py" line="47"/>
        <source>{0} 冻结：{1}</source>
        <translation>Frozen {0}: {1}</translation>
    </message>
</context>
<context>
    <name>UsersView</name>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="224"/>
        <source>用户管理</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="226"/>
        <source>新增用户(Ctrl+N)</source>
        <translation>Add user (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="228"/>
        <source>冻结账号(Ctrl+D)</source>
        <translation>Freeze account (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="230"/>
        <source>刷新(F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="297"/>
        <source>已新增用户 {0}（{1}）</source>
        <translation>User {0} ({1}) added</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="303"/>
        <source>请先在表格中选择要冻结的用户</source>
        <translation>Select the user to freeze in the table first</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/users_view.py" line="316"/>
        <source>已冻结用户 {0}</source>
        <translation>User {0} frozen</translation>
    </message>
</context>
<context>
    <name>ValuesModel</name>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="69"/>
        <source>参数</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/policy_view.py" line="70"/>
        <source>数值</source>
        <translation>Value</translation>
    </message>
</context>
<context>
    <name>_Cover</name>
    <message>
        <location filename="../../pharmacy_pos/ui/idle_lock.py" line="171"/>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="195"/>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="196"/>
        <source>已从备份 {0} 恢复（校验台账 {1} 条）。
损坏的文件已保存到：
{2}

备份之后的业务需要按纸质单据补录，请告知店长。</source>
        <translation>Restored from backup {0} ({1} ledger entries verified).
The damaged files were kept in:
{2}

Business done after the backup must be re-entered from the paper documents; please tell the store manager.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="220"/>
        <source>数据库未通过校验</source>
        <translation>Database failed verification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="221"/>
        <source>{0}

程序将关闭；重新启动后可选择备份恢复。</source>
        <translation>{0}

The program will close; after restarting you can choose to restore from a backup.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="249"/>
        <source>正在载入演示数据，请稍候…</source>
        <translation>Loading demo data, please wait…</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="377"/>
        <source>尚未初始化</source>
        <translation>Not set up yet</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/app.py" line="378"/>
        <source>本终端的数据库中还没有药店（编码 {0}）。
请先运行 pharmacy-pos-cli init 建立药店和管理员，或使用 pharmacy-pos --demo 体验演示数据。

数据库: {1}</source>
        <translation>This terminal&apos;s database has no pharmacy yet (code {0}).
First run pharmacy-pos-cli init to create the pharmacy and an administrator, or use pharmacy-pos --demo to try the demo data.

Database: {1}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="65"/>
        <source>操作未完成</source>
        <extracomment>Exit status after an unexpected error (EX_SOFTWARE).</extracomment>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="68"/>
        <source>未做任何更改。</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="76"/>
        <source>数据库或设备故障</source>
        <translation>Database or device fault</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="81"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="82"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="85"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="162"/>
        <source>标准错误输出</source>
        <translation>standard error output</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="163"/>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="164"/>
        <source>程序发生内部错误，已记录到日志。为保护数据，程序将关闭；未完成的操作不会保存，已完成的操作不受影响。</source>
        <translation>An internal error occurred and has been logged. To protect the data the program will close; an unfinished operation is not saved, finished ones are not affected.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="167"/>
        <source>日志: {0}</source>
        <translation>Log: {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/errors.py" line="169"/>
        <source>关闭程序</source>
        <translation>Close the program</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="21"/>
        <source>收银员</source>
        <extracomment>Every label of Role, PaymentMethod, ReviewDecision, RefusalReason, ProductCategory, InsuranceClass, OtcClass, ControlledCategory, BatchStatus, LedgerEntryType, Action and DeviceState.</extracomment>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="22"/>
        <source>药师</source>
        <translation>Pharmacist</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="23"/>
        <source>质量验收员</source>
        <translation>Quality inspector</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="24"/>
        <source>店长</source>
        <translation>Store manager</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="25"/>
        <source>审计员</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="26"/>
        <source>系统管理员</source>
        <translation>System administrator</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="28"/>
        <source>统筹基金</source>
        <translation>Pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="29"/>
        <source>个人账户</source>
        <translation>Personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="30"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="31"/>
        <source>微信</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="32"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="33"/>
        <source>银行卡</source>
        <translation>Bank card</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="34"/>
        <source>购物卡/礼券</source>
        <translation>Gift card / voucher</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="36"/>
        <source>待审核</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="37"/>
        <source>审核通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="38"/>
        <source>审核拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="40"/>
        <source>配伍禁忌</source>
        <translation>Incompatible combination</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="41"/>
        <source>超剂量</source>
        <translation>Overdose</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="42"/>
        <source>处方不规范</source>
        <translation>Prescription not in order</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="43"/>
        <source>患者与处方不符</source>
        <translation>Patient does not match the prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="44"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="46"/>
        <source>药品</source>
        <translation>Medicine</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="47"/>
        <source>医疗器械</source>
        <translation>Medical device</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="48"/>
        <source>保健食品</source>
        <translation>Health food</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="49"/>
        <source>化妆品</source>
        <translation>Cosmetics</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="50"/>
        <source>日用品</source>
        <translation>Daily necessities</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="52"/>
        <source>非医保</source>
        <translation>Not insured</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="53"/>
        <source>甲类</source>
        <translation>Class A</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="54"/>
        <source>乙类</source>
        <translation>Class B</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="55"/>
        <source>丙类</source>
        <translation>Class C</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="57"/>
        <source>甲类OTC</source>
        <translation>OTC class A</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="58"/>
        <source>乙类OTC</source>
        <translation>OTC class B</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="60"/>
        <source>含麻黄碱类复方制剂</source>
        <translation>Ephedrine-containing compound</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="62"/>
        <source>待验收</source>
        <translation>Awaiting acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="63"/>
        <source>合格可售</source>
        <translation>Accepted, on sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="64"/>
        <source>锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="65"/>
        <source>已过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="66"/>
        <source>已销毁</source>
        <translation>Destroyed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="68"/>
        <source>采购入库</source>
        <translation>Receipt into stock</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="69"/>
        <source>采购退货</source>
        <translation>Return to supplier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="70"/>
        <source>销售出库</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="71"/>
        <source>销售退货</source>
        <translation>Sales return</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="72"/>
        <source>盘盈</source>
        <translation>Stock-take surplus</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="73"/>
        <source>盘亏</source>
        <translation>Stock-take shortage</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="74"/>
        <source>销毁</source>
        <translation>Destruction</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="75"/>
        <source>拆零转换</source>
        <translation>Split pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="76"/>
        <source>冲正</source>
        <translation>Reversal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="78"/>
        <source>禁止</source>
        <translation>Block</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="79"/>
        <source>需审批</source>
        <translation>Needs approval</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="80"/>
        <source>提示</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="81"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="83"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="84"/>
        <source>模拟</source>
        <translation>Simulated</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="85"/>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="86"/>
        <source>故障</source>
        <translation>Fault</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/labels.py" line="98"/>
        <source>、</source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>print_status</name>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="110"/>
        <source>打印机离线：{0} 张待打印</source>
        <extracomment>The main window&apos;s dynamic property holding the session&apos;s ``PrintQueue``. Signals of screens after which something new waits to be printed.</extracomment>
        <translation>Printer offline: {0} waiting to print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="112"/>
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="115"/>
        <source>正在打印：{0} 张待打印</source>
        <translation>Printing: {0} waiting to print</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/print_status.py" line="116"/>
        <source>打印机正常</source>
        <translation>Printer OK</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="16"/>
        <source>个人现金支付</source>
        <translation>Paid in cash</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="17"/>
        <source>个人账户</source>
        <translation>Personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="18"/>
        <source>个人账户支付</source>
        <translation>Paid from personal account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="19"/>
        <source>事项</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="20"/>
        <source>事项明细</source>
        <translation>Findings in detail</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="21"/>
        <source>人员编号</source>
        <translation>Insured person no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="22"/>
        <source>冲正</source>
        <translation>Reversal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="23"/>
        <source>净金额</source>
        <translation>Net amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="24"/>
        <source>分类汇总</source>
        <translation>Summary by category</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="25"/>
        <source>刷卡异常（ID-8/ID-9）</source>
        <translation>Card anomalies (ID-8/ID-9)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="26"/>
        <source>医保</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="27"/>
        <source>医保医疗费</source>
        <translation>Insured medical expenses</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="28"/>
        <source>医保基金</source>
        <translation>Insurance fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="29"/>
        <source>医保类别</source>
        <translation>Insurance class</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="30"/>
        <source>医保账户</source>
        <translation>Insurance account</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="31"/>
        <source>医师</source>
        <translation>Physician</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="32"/>
        <source>医疗机构</source>
        <translation>Medical institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="33"/>
        <source>医疗费总额</source>
        <translation>Total medical expenses</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="34"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="35"/>
        <source>单据/对象</source>
        <translation>Document / object</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="36"/>
        <source>单据号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="37"/>
        <source>卡号/代购人</source>
        <translation>Card no. / proxy buyer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="38"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="39"/>
        <source>商品类别</source>
        <translation>Product category</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="40"/>
        <source>商品编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="41"/>
        <source>基金净额</source>
        <translation>Fund net</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="42"/>
        <source>基金支付</source>
        <translation>Paid by fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="43"/>
        <source>处方号</source>
        <translation>Prescription no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="44"/>
        <source>处方数</source>
        <translation>Prescriptions</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="45"/>
        <source>外配处方明细</source>
        <translation>External prescriptions in detail</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="46"/>
        <source>差异明细</source>
        <translation>Differences in detail</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="47"/>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="48"/>
        <source>患者</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="49"/>
        <source>批号</source>
        <translation>Lot number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="50"/>
        <source>拆零转换</source>
        <translation>Split pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="51"/>
        <source>按医师</source>
        <translation>By physician</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="52"/>
        <source>按医疗机构</source>
        <translation>By medical institution</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="53"/>
        <source>按规则与操作人</source>
        <translation>By rule and operator</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="54"/>
        <source>撤销基金</source>
        <translation>Fund reversed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="55"/>
        <source>撤销笔数</source>
        <translation>Reversals</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="56"/>
        <source>撤销账户</source>
        <translation>Account reversed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="57"/>
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="58"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="59"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="60"/>
        <source>有效期至</source>
        <translation>Expiry date</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="61"/>
        <source>期初数量</source>
        <translation>Opening quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="62"/>
        <source>期初金额(进价)</source>
        <translation>Opening value (cost)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="63"/>
        <source>期初金额(零售)</source>
        <translation>Opening value (retail)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="64"/>
        <source>期末数量</source>
        <translation>Closing quantity</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="65"/>
        <source>期末金额(进价)</source>
        <translation>Closing value (cost)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="66"/>
        <source>期末金额(零售)</source>
        <translation>Closing value (retail)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="67"/>
        <source>本店</source>
        <translation>This store</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="68"/>
        <source>本店单据</source>
        <translation>Store document</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="69"/>
        <source>本店结算明细</source>
        <translation>Store settlements in detail</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="70"/>
        <source>机构编码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="71"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="72"/>
        <source>核对</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="73"/>
        <source>次数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="74"/>
        <source>汇总</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="75"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="76"/>
        <source>生产企业</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="77"/>
        <source>盘亏</source>
        <translation>Stock-take shortage</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="78"/>
        <source>盘盈</source>
        <translation>Stock-take surplus</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="79"/>
        <source>结算时间</source>
        <translation>Settled at</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="80"/>
        <source>结算笔数</source>
        <translation>Settlements</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="81"/>
        <source>结算编号</source>
        <translation>Settlement no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="82"/>
        <source>统筹基金</source>
        <translation>Pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="83"/>
        <source>统筹基金支付</source>
        <translation>Paid by pooled fund</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="84"/>
        <source>药品金额</source>
        <translation>Drug amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="85"/>
        <source>规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="86"/>
        <source>规格</source>
        <translation>Specification</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="87"/>
        <source>诊断</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="88"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="89"/>
        <source>账户净额</source>
        <translation>Account net</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="90"/>
        <source>购进入库</source>
        <translation>Purchases received</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="91"/>
        <source>购进退出</source>
        <translation>Returned to supplier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="92"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="93"/>
        <source>进价/包装</source>
        <translation>Cost / pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="94"/>
        <source>进销存月报</source>
        <translation>Monthly purchases, sales and stock report</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="95"/>
        <source>退货</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="96"/>
        <source>退货金额</source>
        <translation>Returned amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="97"/>
        <source>通用名</source>
        <translation>Generic name</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="98"/>
        <source>销售出库</source>
        <translation>Sales</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="99"/>
        <source>销售行数</source>
        <translation>Sale lines</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="100"/>
        <source>销售退回</source>
        <translation>Sales returns</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="101"/>
        <source>销售金额</source>
        <translation>Sales amount</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="102"/>
        <source>销毁</source>
        <translation>Destroyed</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="103"/>
        <source>零售价/包装</source>
        <translation>Retail price / pack</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/report_texts.py" line="104"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>rules</name>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="22"/>
        <source>医保结算只凭实际读取的社保卡（或电子凭证），不能手输社会保障号码</source>
        <extracomment>rule id -&gt; its sentence in Chinese (the source text Qt translates).</extracomment>
        <translation>Insurance settlement only with a social security card (or electronic insurance credential) actually read; a social security number typed by hand is not accepted</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="23"/>
        <source>证、卡、人须一致：卡上持卡人须与所出示的身份证件相符，不符则不能医保结算</source>
        <translation>ID document, card and person must match: the card holder must match the ID document shown, otherwise there is no insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="24"/>
        <source>伪造或已挂失的社保卡：扣留并报告经办机构，拒绝交易并记录</source>
        <translation>Forged or reported-lost social security card: keep it and report it to the insurance office; refuse the sale and record it</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="25"/>
        <source>身份证号须有效（18位、校验码、出生日期）；过期的社保卡不能使用</source>
        <translation>The ID number must be valid (18 characters, check digit, date of birth); an expired social security card cannot be used</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="26"/>
        <source>代购须登记购药人和参保人的身份证号</source>
        <translation>A proxy purchase must record the ID numbers of the buyer and of the insured person</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="27"/>
        <source>外配处方上的患者须是参保人本人</source>
        <translation>The patient on an external prescription must be the insured person</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="28"/>
        <source>读卡和结算完成前社保卡须留在读卡器中；中途拔卡则本单改为自费，不留半笔记录</source>
        <translation>The social security card must stay in the card reader until reading and settlement are complete; if it is removed, the sale becomes self-pay and no half-finished record is left</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="29"/>
        <source>同一张卡同日多次刷卡计一人次，同日重复购药予以标记</source>
        <translation>Several uses of the same card on the same day count as one visit; repeated purchases on the same day are flagged</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="30"/>
        <source>一卡多人使用或一人多卡予以标记</source>
        <translation>One card used by several people, or one person using several cards, is flagged</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="31"/>
        <source>处方药须凭处方销售</source>
        <translation>Prescription-only drugs are sold only against a prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="32"/>
        <source>每张处方须由在岗药师审核签名后才能调配；审核药师不能是本单收银员</source>
        <translation>Every prescription must be reviewed and signed by a pharmacist on duty before it is dispensed; the reviewing pharmacist cannot be this sale&apos;s cashier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="33"/>
        <source>外配处方须来自定点医疗机构，有医师签名和医疗机构印章</source>
        <translation>An external prescription must come from a designated medical institution and bear the physician&apos;s signature and the institution&apos;s seal</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="34"/>
        <source>处方不得更改：不得替换药品，数量不得超过处方数量</source>
        <translation>A prescription may not be altered: no drug may be substituted and quantities may not exceed the prescribed ones</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="35"/>
        <source>配伍禁忌或超剂量：药师应拒绝调配，除非医师更正并重新签字</source>
        <translation>Incompatible combination or overdose: the pharmacist must refuse to dispense unless the physician corrects and signs again</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="36"/>
        <source>用药天数限制：一般不超过7天，急诊不超过3天，慢性病按政策放宽</source>
        <translation>Days of supply: normally at most 7 days, at most 3 days for emergencies; longer for chronic diseases as the policy allows</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="37"/>
        <source>每张处方不超过5种药品</source>
        <translation>At most 5 drugs per prescription</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="38"/>
        <source>处方当日有效，医师注明的最长3天</source>
        <translation>A prescription is valid on the day it is issued, at most 3 days when the physician says so</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="39"/>
        <source>被取消医保处方权的医师所开处方不能医保结算</source>
        <translation>Prescriptions of a physician whose insurance prescribing right was withdrawn cannot be settled by insurance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="40"/>
        <source>外配处方和购药清单至少保存2年，不得提前删除</source>
        <translation>External prescriptions and purchase lists are kept at least 2 years and may not be deleted earlier</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="41"/>
        <source>外配处方单独登记，按月统计外配处方费用</source>
        <translation>External prescriptions are registered separately and their costs totalled monthly</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="42"/>
        <source>含麻黄碱类复方制剂：登记购买人身份证号，每次不超过2个最小包装</source>
        <translation>Ephedrine-containing compounds: record the buyer&apos;s ID number; at most 2 smallest packs per purchase</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="43"/>
        <source>限定支付范围的药品只有诊断相符时才由医保支付，否则自费</source>
        <translation>A drug with a restricted coverage scope is paid by insurance only when the diagnosis matches, otherwise it is self-pay</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="44"/>
        <source>同一人上次所购药品未用完又购同一药品（超量配药）予以标记</source>
        <translation>Buying the same drug again before the last purchase is used up (over-supply) is flagged</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="45"/>
        <source>只有医保目录内的品种可由医保支付；食品、日用品、化妆品、保健品一律不可</source>
        <translation>Only items in the insurance catalogue can be paid by insurance; food, daily necessities, cosmetics and health products never</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="46"/>
        <source>严禁套现：不得有负数行、不得从医保基金找零、不得以药易物</source>
        <translation>No cashing out: no negative lines, no change from insurance funds, no swapping drugs for goods</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="47"/>
        <source>同药同价：现金和医保购药单价相同</source>
        <translation>Same drug, same price: the unit price is the same for cash and insurance purchases</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="48"/>
        <source>医保购药不得返现或赠送购物卡</source>
        <translation>Insurance purchases may not earn cash back or gift cards</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="49"/>
        <source>过期、失效药品不得销售；先到期先出；近效期予以提醒</source>
        <translation>Expired or invalid drugs may not be sold; first expiry, first out; near-expiry stock is flagged</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="50"/>
        <source>每笔医保购药须打印购药清单，列明药品、金额、医保支付和账户余额，由参保人签字</source>
        <translation>Every insurance purchase prints a purchase list showing the drugs, amounts, insurance payment and account balance, signed by the insured person</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="51"/>
        <source>退货退款须第二人授权；医保退款须冲正结算</source>
        <translation>A return and refund needs a second person&apos;s approval; an insurance refund reverses the settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="52"/>
        <source>医保协议中止或解除期间，不能医保结算</source>
        <translation>While the insurance agreement is suspended or terminated, there is no insurance settlement</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="53"/>
        <source>结算终端绑定本药店，不得外借或挪用</source>
        <translation>The settlement terminal belongs to this pharmacy and may not be lent or used elsewhere</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="54"/>
        <source>自费部分须向购药人说明并记录其同意</source>
        <translation>The self-pay part must be explained to the buyer and their consent recorded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="55"/>
        <source>年度限额、基金比例、起付线以医保答复或政策文件为准</source>
        <translation>Annual caps, fund ratios and the deductible are those of the insurer&apos;s answer or the policy file</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="56"/>
        <source>进销存如实记录：每次库存变动都是一条台账记录，库存等于台账之和</source>
        <translation>Purchases, sales and stock are recorded truthfully: every stock change is a ledger entry and stock equals the sum of the ledger</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="57"/>
        <source>药品只能从有资质的供应商购进，经质量验收后方可销售</source>
        <translation>Drugs are bought only from licensed suppliers and sold only after quality acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="58"/>
        <source>每月养护检查在库药品，存疑药品锁定停售</source>
        <translation>Stock is inspected monthly for upkeep; doubtful drugs are locked and not sold</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="59"/>
        <source>盘点：实盘与账面比较，盘盈盘亏由店长批准</source>
        <translation>Stock-take: counted stock is compared with the books; surpluses and shortages are approved by the store manager</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="60"/>
        <source>进销存记录不得篡改或删除，只能冲正；台账防篡改</source>
        <translation>Purchase, sales and stock records may not be altered or deleted, only reversed; the ledger is tamper-evident</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="61"/>
        <source>医保目录药品的进销存数据定期上传医保平台</source>
        <translation>Purchase, sales and stock data of catalogue drugs is uploaded to the insurance platform regularly</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="62"/>
        <source>过期、破损或召回的药品须做销毁或退货出库，记录经手人和原因</source>
        <translation>Expired, damaged or recalled drugs are destroyed or returned to the supplier, recording who did it and why</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="63"/>
        <source>进销存月报：按品种和批次，期初 + 入库 − 出库 = 期末</source>
        <translation>Monthly purchases, sales and stock report: by product and batch, opening + in − out = closing</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="64"/>
        <source>医保月度对账：本店结算合计与医保合计比对，逐笔列出差异</source>
        <translation>Monthly insurance reconciliation: the store&apos;s settlement totals are compared with the insurer&apos;s, differences listed one by one</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="65"/>
        <source>外配处方费用月度统计</source>
        <translation>Monthly statement of external prescription costs</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="66"/>
        <source>医保购药分类台账，按月报送</source>
        <translation>Insured purchases ledger by category, submitted monthly</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="67"/>
        <source>自查报告：一段时间内的全部标记事项</source>
        <translation>Self-inspection report: every flagged finding of a period</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="68"/>
        <source>按角色最小授权：收银员、药师、质量负责人、店长、审计员、管理员</source>
        <translation>Least privilege by role: cashier, pharmacist, quality inspector, store manager, auditor, administrator</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="69"/>
        <source>特殊操作（退款、改价、库存调整、政策变更）须第二人授权</source>
        <translation>Special operations (refunds, price changes, stock adjustments, policy changes) need a second person&apos;s approval</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="70"/>
        <source>离职人员冻结账号，不删除；连续输错密码锁定；离开时锁屏</source>
        <translation>Accounts of staff who leave are frozen, not deleted; repeated wrong passwords lock the account; lock the screen when away</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="71"/>
        <source>每次数据维护都记录操作人、时间和内容</source>
        <translation>Every data maintenance records who, when and what</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="72"/>
        <source>保护参保人隐私：屏幕和小票上的身份证号须遮掩</source>
        <translation>Protect insured persons&apos; privacy: ID numbers are masked on screen and on receipts</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="73"/>
        <source>每日备份数据</source>
        <translation>Back up the data daily</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/rule_texts.py" line="74"/>
        <source>医保数据持续上传（间隔不超过20分钟），待上传数据不丢失</source>
        <translation>Insurance data is uploaded continuously (at most 20 minutes apart) and data waiting to upload is never lost</translation>
    </message>
</context>
<context>
    <name>screens</name>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="169"/>
        <source>收银</source>
        <extracomment>Builds a screen: (context, actor, parent) -&gt; widget.</extracomment>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="170"/>
        <source>处方审核</source>
        <translation>Prescription review</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="172"/>
        <source>退货</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="173"/>
        <source>销售记录</source>
        <translation>Sales history</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="174"/>
        <source>商品目录</source>
        <translation>Product catalogue</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="176"/>
        <source>收货</source>
        <translation>Receiving</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="178"/>
        <source>质量验收</source>
        <translation>Quality acceptance</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="180"/>
        <source>养护与效期</source>
        <translation>Maintenance and expiry</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="182"/>
        <source>盘点</source>
        <translation>Stock-take</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="184"/>
        <source>用户管理</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="186"/>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="188"/>
        <source>经营概况</source>
        <translation>Business overview</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="190"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="192"/>
        <source>政策参数</source>
        <translation>Policy parameters</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="194"/>
        <source>系统状态</source>
        <translation>System status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/screens.py" line="196"/>
        <source>医保上传</source>
        <translation>Insurance uploads</translation>
    </message>
</context>
<context>
    <name>uploads</name>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="93"/>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="105"/>
        <source>待上传</source>
        <extracomment>The main window&apos;s dynamic property holding the session&apos;s ``UploadMonitor``.</extracomment>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="93"/>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="107"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="94"/>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="106"/>
        <source>被拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="94"/>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="108"/>
        <source>已更正</source>
        <translation>Corrected</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="96"/>
        <source>成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="97"/>
        <source>重复（已忽略）</source>
        <translation>Duplicate (ignored)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="98"/>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="99"/>
        <source>批量被拒（逐条重发）</source>
        <translation>Batch refused (resent one by one)</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="100"/>
        <source>无应答</source>
        <translation>No answer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="100"/>
        <source>应答异常</source>
        <translation>Malformed answer</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="104"/>
        <source>全部</source>
        <extracomment>The filter&apos;s entries: (label, states listed).</extracomment>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="220"/>
        <source>上传失败（程序错误）：{0}</source>
        <translation>Upload failed (program error): {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="234"/>
        <source>接口</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="235"/>
        <source>报文ID</source>
        <translation>Message ID</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="236"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="237"/>
        <source>信息</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="57"/>
        <source>交易</source>
        <extracomment>Background of a required field left empty.</extracomment>
        <translation>Transaction</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="58"/>
        <source>单据号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="59"/>
        <source>流水号</source>
        <translation>Serial no.</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="60"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="62"/>
        <source>次数</source>
        <translation>Tries</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="63"/>
        <source>错误信息</source>
        <translation>Error message</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="66"/>
        <location filename="../../pharmacy_pos/ui/uploads_view.py" line="232"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="68"/>
        <source>写入 {0}</source>
        <translation>Written {0}</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="142"/>
        <source>字段</source>
        <extracomment>18 characters standing alone that could be a resident ID number.</extracomment>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="144"/>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../pharmacy_pos/ui/uploads_model.py" line="145"/>
        <source>（空，必填）</source>
        <translation>(empty, required)</translation>
    </message>
</context>
</TS>
