<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AcceptAllDialog</name>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="190"/>
        <source>Accept suggestions</source>
        <translation>قبول الاقتراحات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="193"/>
        <source>Accept every suggestion of this document whose confidence is at least:</source>
        <translation>اقبل كل اقتراح في هذا المستند لا تقل ثقته عن:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/suggestion_feed.py" line="219"/>
        <source>%n suggestion(s) at or above it, of %1 shown.</source>
        <translation>
            <numerusform>%n اقتراح بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
            <numerusform>اقتراح واحد بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
            <numerusform>اقتراحان بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
            <numerusform>%n اقتراحات بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
            <numerusform>%n اقتراحًا بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
            <numerusform>%n اقتراح بهذه الثقة أو أعلى، من أصل %1 معروضة.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AdjudicationPanel</name>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="42"/>
        <source>unanimous</source>
        <translation>إجماع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="43"/>
        <source>label conflict</source>
        <translation>تعارض في الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="44"/>
        <source>boundary conflict</source>
        <translation>تعارض في الحدود</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="45"/>
        <source>proclitic only</source>
        <translation>السابقة فقط</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="46"/>
        <source>missing</source>
        <translation>مفقودون</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="47"/>
        <source>nested</source>
        <translation>متداخل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="48"/>
        <source>attribute conflict</source>
        <translation>تعارض في الخصائص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="93"/>
        <source>Annotator</source>
        <translation>الموسِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="93"/>
        <source>Label</source>
        <translation>الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="93"/>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="93"/>
        <source>Agreed by</source>
        <translation>وافق عليه</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="93"/>
        <source>Attributes</source>
        <translation>الخصائص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="106"/>
        <source>Accept version (Alt+number)</source>
        <translation>قبول النسخة (Alt+رقم)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="107"/>
        <source>Accept majority (A)</source>
        <translation>قبول الأغلبية (A)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="108"/>
        <source>Accept all unanimous</source>
        <translation>قبول كل المتفق عليه</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="144"/>
        <source>%1 clusters to adjudicate (%2 unanimous), %3 done. Annotators: %4.</source>
        <translation>%1 مجموعة للتحكيم (%2 بالإجماع)، أُنجز %3. الموسِّمون: %4.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_panel.py" line="233"/>
        <source>No majority in this cluster: accept one version (Alt+number) or tag by hand.</source>
        <translation>لا أغلبية في هذه المجموعة: اقبل نسخة واحدة (Alt+رقم) أو وسّم يدويًا.</translation>
    </message>
</context>
<context>
    <name>AgreementView</name>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="33"/>
        <location filename="../../workbench/ui/agreement_view.py" line="223"/>
        <source>Strict F1</source>
        <translation>F1 الصارم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="34"/>
        <location filename="../../workbench/ui/agreement_view.py" line="223"/>
        <source>Relaxed F1</source>
        <translation>F1 المتساهل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="35"/>
        <source>α_U (pairwise)</source>
        <translation>α_U (بين كل اثنين)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="74"/>
        <source>Documents marked done</source>
        <translation>المستندات المنجزة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="74"/>
        <source>Done and in progress</source>
        <translation>المنجزة وقيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="75"/>
        <source>Compute</source>
        <translation>احسب</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="78"/>
        <source>Export HTML report…</source>
        <translation>تصدير تقرير HTML…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="100"/>
        <source>Annotator × annotator</source>
        <translation>موسِّم × موسِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="102"/>
        <source>Per label</source>
        <translation>لكل وسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="107"/>
        <source>Documents, worst first (double-click to adjudicate)</source>
        <translation>المستندات، الأسوأ أولًا (انقر مرتين للتحكيم)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="110"/>
        <source>Sorted by strict F1 averaged over the pairs of annotators that compared the document, lowest first; documents where it is undefined come last; ties in document id order.</source>
        <translation>مرتبة حسب F1 الصارم بمتوسط أزواج الموسِّمين الذين قارنوا المستند، الأدنى أولًا؛ المستندات التي لا يُعرَّف فيها تأتي في الآخر؛ وعند التساوي بترتيب معرّف المستند.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="138"/>
        <source>Computing…</source>
        <translation>جارٍ الحساب…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="168"/>
        <source>α_U over %1 documents all annotators finished: pooled %2, mean over documents %3. Token kappas (comparison with the literature; they rise with unannotated text): Fleiss %4.</source>
        <translation>α_U على %1 مستندات أنجزها كل الموسِّمين: مجمَّعًا %2، ومتوسطًا على المستندات %3. معاملات كابا على الكلمات (للمقارنة بالأدبيات؛ ترتفع مع النص غير الموسوم): فلايس %4.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="209"/>
        <source>Label</source>
        <translation>الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="209"/>
        <source>α_U (all)</source>
        <translation>α_U (الكل)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="223"/>
        <source>Document</source>
        <translation>المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="246"/>
        <source>Label confusion: %1 (rows) × %2 (columns)</source>
        <translation>التباس الوسوم: %1 (الصفوف) × %2 (الأعمدة)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/agreement_view.py" line="273"/>
        <source>Agreement report</source>
        <translation>تقرير الاتفاق</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="65"/>
        <source>Assign documents</source>
        <translation>توزيع المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="76"/>
        <source>Annotators per document</source>
        <translation>عدد الموسِّمين لكل مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="79"/>
        <source>Seed (same seed, same assignment)</source>
        <translation>البذرة (البذرة نفسها تعطي التوزيع نفسه)</translation>
    </message>
</context>
<context>
    <name>AttributeDialog</name>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="30"/>
        <source>count: a number or a range (10-15)</source>
        <translation>عدد: رقم أو مدى (10-15)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="31"/>
        <source>choice: one of the values</source>
        <translation>اختيار: إحدى القيم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="32"/>
        <source>flag: yes or no</source>
        <translation>علامة: نعم أو لا</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="33"/>
        <source>date: 2019-01-19, 2019-01 or 2019</source>
        <translation>تاريخ: 2019-01-19 أو 2019-01 أو 2019</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="34"/>
        <source>text: free text, such as a canonical name</source>
        <translation>نص: نص حر، مثل الاسم المعتمد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="53"/>
        <source>Add an attribute to a label</source>
        <translation>إضافة خاصية إلى وسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="64"/>
        <source>Latin letters, such as role</source>
        <translation>حروف لاتينية، مثل role</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="73"/>
        <source>commander, fighter, civilian</source>
        <translation>قائد، مقاتل، مدني</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="76"/>
        <source>Shown as the field&apos;s tooltip</source>
        <translation>تظهر تلميحًا للحقل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="82"/>
        <source>Label</source>
        <translation>الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="83"/>
        <source>Attribute name</source>
        <translation>اسم الخاصية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="84"/>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="85"/>
        <source>Values (separated by commas)</source>
        <translation>القيم (مفصولة بفواصل)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="86"/>
        <source>Description</source>
        <translation>الوصف</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_dialog.py" line="91"/>
        <source>Add</source>
        <translation>إضافة</translation>
    </message>
</context>
<context>
    <name>AttributeForm</name>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="47"/>
        <source>canonical</source>
        <translation>الاسم المعتمد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="48"/>
        <source>count</source>
        <translation>العدد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="49"/>
        <source>kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="50"/>
        <source>approximate</source>
        <translation>تقريبي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="51"/>
        <source>value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="52"/>
        <source>precision</source>
        <translation>الدقة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="53"/>
        <source>killed</source>
        <translation>قتلى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="54"/>
        <source>injured</source>
        <translation>جرحى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="55"/>
        <source>captured</source>
        <translation>أسرى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="56"/>
        <source>missing</source>
        <translation>مفقودون</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="57"/>
        <source>unspecified</source>
        <translation>غير محدد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="58"/>
        <source>day</source>
        <translation>يوم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="59"/>
        <source>month</source>
        <translation>شهر</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="60"/>
        <source>year</source>
        <translation>سنة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="61"/>
        <source>week</source>
        <translation>أسبوع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="62"/>
        <source>quarter</source>
        <translation>ربع سنة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="63"/>
        <source>century</source>
        <translation>قرن</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="64"/>
        <source>denied</source>
        <translation>منفي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="65"/>
        <source>calendar</source>
        <translation>التقويم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="66"/>
        <source>gregorian</source>
        <translation>ميلادي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="67"/>
        <source>hijri</source>
        <translation>هجري</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="149"/>
        <source>%1 suggestion, not saved yet</source>
        <translation>اقتراح %1، لم يُحفظ بعد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="161"/>
        <source>Enter accepts it, Del rejects it, a label key accepts it with that label; the edge keys and P adjust it and accept it.</source>
        <translation>‏Enter يقبله، و‏Del يرفضه، ومفتاح الوسم يقبله بذلك الوسم؛ ومفاتيح الحدود و‏P تعدّله وتقبله.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="181"/>
        <source>Select a span to see its attributes.</source>
        <translation>اختر مقطعًا لعرض خصائصه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="220"/>
        <source>A note for the adjudicator</source>
        <translation>ملاحظة للمحكِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="223"/>
        <source>note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="224"/>
        <source>unsure</source>
        <translation>غير متأكد</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <location filename="../../workbench/ui/commands.py" line="30"/>
        <source>Delete span</source>
        <translation>حذف المقطع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="82"/>
        <source>Remove leading proclitic</source>
        <translation>إزالة السابقة المتصلة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="84"/>
        <source>Drop a leading و ف ب ل ك from the selected span (or selection).</source>
        <translation>أزل حرف و أو ف أو ب أو ل أو ك من بداية المقطع المحدد (أو التحديد).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="89"/>
        <source>Move end edge one character right</source>
        <translation>تحريك نهاية المقطع حرفًا إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="91"/>
        <source>Move the selected span&apos;s end edge one character to the right (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد حرفًا واحدًا إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="98"/>
        <source>Move end edge one character left</source>
        <translation>تحريك نهاية المقطع حرفًا إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="100"/>
        <source>Move the selected span&apos;s end edge one character to the left (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد حرفًا واحدًا إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="107"/>
        <source>Move end edge one word right</source>
        <translation>تحريك نهاية المقطع كلمةً إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="109"/>
        <source>Move the selected span&apos;s end edge one word to the right (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد كلمة واحدة إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="116"/>
        <source>Move end edge one word left</source>
        <translation>تحريك نهاية المقطع كلمةً إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="118"/>
        <source>Move the selected span&apos;s end edge one word to the left (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد كلمة واحدة إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="123"/>
        <source>Move start edge one character right</source>
        <translation>تحريك بداية المقطع حرفًا إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="125"/>
        <source>Move the selected span&apos;s start edge one character to the right (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد حرفًا واحدًا إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="132"/>
        <source>Move start edge one character left</source>
        <translation>تحريك بداية المقطع حرفًا إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="134"/>
        <source>Move the selected span&apos;s start edge one character to the left (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد حرفًا واحدًا إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="141"/>
        <source>Move start edge one word right</source>
        <translation>تحريك بداية المقطع كلمةً إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="143"/>
        <source>Move the selected span&apos;s start edge one word to the right (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد كلمة واحدة إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="150"/>
        <source>Move start edge one word left</source>
        <translation>تحريك بداية المقطع كلمةً إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="152"/>
        <source>Move the selected span&apos;s start edge one word to the left (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد كلمة واحدة إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="159"/>
        <source>Toggle unsure</source>
        <translation>تبديل «غير متأكد»</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="161"/>
        <source>Flag or unflag the selected span as unsure.</source>
        <translation>علّم المقطع المحدد بأنك غير متأكد منه أو أزل العلامة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="166"/>
        <source>Edit attributes</source>
        <translation>تحرير الخصائص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="168"/>
        <source>Go into the selected span&apos;s attributes: Tab and Shift+Tab between fields, type the first letters of a choice, Space ticks a box, Enter keeps the value and goes back to the text, Esc goes back.</source>
        <translation>الانتقال إلى خصائص المقطع المحدد: ‏Tab و‏Shift+Tab للتنقل بين الحقول، اكتب الحروف الأولى لاختيار قيمة، ‏Space لتأشير مربع، ‏Enter للحفظ والعودة إلى النص، ‏Esc للعودة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="177"/>
        <source>Next span</source>
        <translation>المقطع التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="184"/>
        <source>Previous span</source>
        <translation>المقطع السابق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="32"/>
        <source>Delete the selected span, or reject the selected suggestion (not offered again here).</source>
        <translation>احذف المقطع المحدد، أو ارفض الاقتراح المحدد (فلا يُعرض هنا مرة أخرى).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="39"/>
        <source>Accept suggestion</source>
        <translation>قبول الاقتراح</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="41"/>
        <source>Accept the selected suggestion (drawn dashed) as a span with its values; a label key accepts it with that label, the edge keys and P adjust it and accept it.</source>
        <translation>اقبل الاقتراح المحدد (المرسوم بإطار متقطع) مقطعًا بقيمه؛ مفتاح الوسم يقبله بذلك الوسم، ومفاتيح الحدود و‏P تعدّله وتقبله.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="51"/>
        <source>Accept suggestions above a confidence…</source>
        <translation>قبول الاقتراحات فوق درجة ثقة…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="53"/>
        <source>Accept every suggestion of the document whose confidence is at least the one you give (0.9).</source>
        <translation>اقبل كل اقتراح في المستند لا تقل ثقته عن الدرجة التي تحددها (0.9).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="60"/>
        <source>Offer suggestions</source>
        <translation>عرض الاقتراحات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="62"/>
        <source>Show the dates, casualty counts and names the value engines find as dashed suggestions (a project setting: the lead may switch it off to measure unassisted agreement).</source>
        <translation>اعرض التواريخ وأعداد الضحايا والأسماء التي تجدها محركات القيم اقتراحاتٍ بإطار متقطع (إعداد للمشروع: قد يوقفه قائد الفريق لقياس الاتفاق دون مساعدة).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="71"/>
        <source>Retrain the model now</source>
        <translation>إعادة تدريب النموذج الآن</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="73"/>
        <source>Train the model of your layer on your done documents again, in the background (it is trained after each document marked done; the new model is used from the next document opened).</source>
        <translation>درّب نموذج طبقتك من جديد على مستنداتك المنجزة، في الخلفية (يُدرَّب بعد كل مستند يُعلَّم كمنجز؛ ويُستعمل النموذج الجديد من المستند التالي الذي يُفتح).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="179"/>
        <source>Select the next span or suggestion in reading order.</source>
        <translation>اختر المقطع أو الاقتراح التالي بترتيب القراءة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="186"/>
        <source>Select the previous span or suggestion.</source>
        <translation>اختر المقطع أو الاقتراح السابق.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="191"/>
        <source>Clear selection</source>
        <translation>إلغاء التحديد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="193"/>
        <source>Deselect the text and the span.</source>
        <translation>ألغِ تحديد النص والمقطع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="198"/>
        <source>Snap to word edges</source>
        <translation>الالتصاق بحدود الكلمات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="200"/>
        <source>New spans grow to whole words (on by default).</source>
        <translation>تمتد المقاطع الجديدة إلى كلمات كاملة (مفعّل افتراضيًا).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="205"/>
        <source>Add attribute to a label…</source>
        <translation>إضافة خاصية إلى وسم…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="207"/>
        <source>Add an attribute (a field of the attribute form) to a label of the project&apos;s schema.</source>
        <translation>إضافة خاصية (حقل في نموذج الخصائص) إلى وسم من مخطط المشروع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="214"/>
        <source>Import gazetteer…</source>
        <translation>استيراد معجم الأسماء…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="216"/>
        <source>Import the project&apos;s own canonical names of actors and places from a CSV file (name, label, canonical, aliases): they are suggested and filled before the shipped ones.</source>
        <translation>استيراد أسماء المشروع الموحّدة للأطراف والأماكن من ملف CSV (الاسم، الوسم، الاسم الموحّد، الأسماء البديلة): تُقترح وتُملأ قبل الأسماء المرفقة بالبرنامج.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="226"/>
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="228"/>
        <source>Undo the last action.</source>
        <translation>تراجع عن آخر إجراء.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="233"/>
        <source>Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="235"/>
        <source>Redo the last undone action.</source>
        <translation>أعد آخر إجراء تراجعت عنه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="240"/>
        <source>Find in document</source>
        <translation>بحث في المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="242"/>
        <source>Search the open document (ignores harakat and tatweel; أ إ آ = ا, ى = ي, ة = ه).</source>
        <translation>ابحث في المستند المفتوح (يتجاهل الحركات والتطويل؛ أ إ آ = ا، ى = ي، ة = ه).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="249"/>
        <source>Find in all documents</source>
        <translation>بحث في كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="251"/>
        <source>Search the whole corpus.</source>
        <translation>ابحث في المدونة كلها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="256"/>
        <source>Find next</source>
        <translation>النتيجة التالية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="258"/>
        <source>Go to the next search result.</source>
        <translation>انتقل إلى نتيجة البحث التالية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="264"/>
        <source>Mark done and go to next</source>
        <translation>تعليم كمنجز والانتقال إلى التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="266"/>
        <source>Mark the document done and open the next unfinished one.</source>
        <translation>علّم المستند كمنجز وافتح المستند التالي غير المنجز.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="271"/>
        <source>Mark in progress</source>
        <translation>تعليم كقيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="273"/>
        <source>Set the document back to in progress.</source>
        <translation>أعد المستند إلى حالة «قيد العمل».</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="278"/>
        <source>Next document</source>
        <translation>المستند التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="280"/>
        <source>Open the next document in the list.</source>
        <translation>افتح المستند التالي في القائمة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="285"/>
        <source>Previous document</source>
        <translation>المستند السابق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="287"/>
        <source>Open the previous document.</source>
        <translation>افتح المستند السابق.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="292"/>
        <source>Publication date…</source>
        <translation>تاريخ النشر…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="294"/>
        <source>Set the date the article was published: its relative dates (أمس، يوم الخميس) count from it.</source>
        <translation>حدّد تاريخ نشر المقال: تُحسب منه تواريخه النسبية (أمس، يوم الخميس).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="302"/>
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="304"/>
        <source>Larger text (remembered).</source>
        <translation>نص أكبر (يُحفظ الاختيار).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="309"/>
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="311"/>
        <source>Smaller text (remembered).</source>
        <translation>نص أصغر (يُحفظ الاختيار).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="316"/>
        <source>Actual size</source>
        <translation>الحجم الافتراضي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="318"/>
        <source>Default text size.</source>
        <translation>حجم النص الافتراضي.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="323"/>
        <source>Guidelines</source>
        <translation>الإرشادات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="325"/>
        <source>Show or hide the project&apos;s guidelines.</source>
        <translation>اعرض إرشادات المشروع أو أخفها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="330"/>
        <source>Edit guidelines…</source>
        <translation>تحرير الإرشادات…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="332"/>
        <source>(Lead) Write the project&apos;s guidelines in Markdown, with a preview; the annotators get them with their next project bundle.</source>
        <translation>(قائد الفريق) اكتب إرشادات المشروع بصيغة Markdown مع معاينة؛ تصل إلى المُعلِّقين مع حزمة المشروع التالية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="341"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="343"/>
        <source>Show the interface in English.</source>
        <translation>اعرض الواجهة بالإنجليزية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="348"/>
        <source>العربية</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="350"/>
        <source>Show the interface in Arabic (mirrored layout).</source>
        <translation>اعرض الواجهة بالعربية (تخطيط معكوس).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="355"/>
        <source>Open project or bundle…</source>
        <translation>فتح مشروع أو حزمة…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="357"/>
        <source>Open a project file, a project bundle from your team lead, or (lead) import an annotator&apos;s work bundle.</source>
        <translation>افتح ملف مشروع، أو حزمة مشروع من قائد فريقك، أو (قائد الفريق) استورد حزمة عمل أحد المُعلِّقين.</translation>
    </message>
    <message>
        <source>Open a project file, or a project bundle from your team lead.</source>
        <translation type="vanished">افتح ملف مشروع، أو حزمة مشروع من قائد فريقك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="365"/>
        <source>Export work bundle…</source>
        <translation>تصدير حزمة العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="367"/>
        <source>Write your work to one signed file for your team lead.</source>
        <translation>اكتب عملك في ملف واحد موقَّع لقائد فريقك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="372"/>
        <source>Export training set…</source>
        <translation>تصدير مجموعة تدريب…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="374"/>
        <source>Write the gold standard (or a layer) as JSONL, CoNLL, spaCy, datasets or brat, with a data card.</source>
        <translation>اكتب المعيار الذهبي (أو طبقة) بصيغة JSONL أو CoNLL أو spaCy أو datasets أو brat، مع بطاقة بيانات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="382"/>
        <source>Team</source>
        <translation>الفريق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="384"/>
        <source>Show the team panel: assignments, progress, bundles.</source>
        <translation>اعرض لوحة الفريق: التوزيع والتقدم والحزم.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="389"/>
        <source>Agreement</source>
        <translation>الاتفاق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="391"/>
        <source>Show how far the annotators agree: by pair, label and document.</source>
        <translation>اعرض مدى اتفاق الموسِّمين: لكل زوج ووسم ومستند.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="396"/>
        <source>Adjudicate this document</source>
        <translation>تحكيم هذا المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="398"/>
        <source>Resolve disagreements into the gold layer (the window then edits gold).</source>
        <translation>احسم الخلافات في الطبقة الذهبية (تحرّر النافذة حينها الطبقة الذهبية).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="403"/>
        <source>Accept the majority</source>
        <translation>قبول الأغلبية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="405"/>
        <source>Accept into gold the version more than half of the annotators chose.</source>
        <translation>اقبل في الطبقة الذهبية النسخة التي اختارها أكثر من نصف الموسِّمين.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="410"/>
        <source>Accept all unanimous spans</source>
        <translation>قبول كل المقاطع المتفق عليها</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="412"/>
        <source>Accept every span all annotators agree on in this document.</source>
        <translation>اقبل كل مقطع اتفق عليه كل الموسِّمين في هذا المستند.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="417"/>
        <source>Next disagreement</source>
        <translation>الخلاف التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="419"/>
        <source>Go to the next cluster without gold.</source>
        <translation>انتقل إلى المجموعة التالية بلا قرار ذهبي.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="424"/>
        <source>Previous disagreement</source>
        <translation>الخلاف السابق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="426"/>
        <source>Go to the previous cluster without gold.</source>
        <translation>انتقل إلى المجموعة السابقة بلا قرار ذهبي.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="431"/>
        <source>Quit</source>
        <translation>خروج</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="433"/>
        <source>Close the app (everything is already saved).</source>
        <translation>أغلق التطبيق (كل شيء محفوظ مسبقًا).</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="14"/>
        <source>○ To do</source>
        <translation>○ لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="15"/>
        <source>◐ Started</source>
        <translation>◐ قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="16"/>
        <source>● Done</source>
        <translation>● منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="26"/>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="27"/>
        <source>Length</source>
        <translation>الطول</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="28"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
</context>
<context>
    <name>DocumentPanel</name>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="36"/>
        <source>All documents</source>
        <translation>كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="37"/>
        <source>Not started</source>
        <translation>لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="37"/>
        <source>In progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="37"/>
        <source>Done</source>
        <translation>منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="155"/>
        <source>%1 of %2 done · %3 in progress</source>
        <translation>أُنجز %1 من %2 · %3 قيد العمل</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="35"/>
        <source>Export a training set</source>
        <translation>تصدير مجموعة تدريب</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="41"/>
        <source>Gold (adjudicated documents)</source>
        <translation>الذهبية (المستندات المحكَّمة)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="42"/>
        <source>Majority of annotators (documents without gold)</source>
        <translation>أغلبية الموسِّمين (المستندات بلا ذهبية)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="44"/>
        <source>Annotator: %1</source>
        <translation>الموسِّم: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="270"/>
        <source>JSON Lines (character spans)</source>
        <translation>JSON Lines (مقاطع بمواضع الحروف)</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="278"/>
        <source>CoNLL BIO</source>
        <translation>CoNLL BIO</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="286"/>
        <source>spaCy DocBin</source>
        <translation>spaCy DocBin</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="295"/>
        <source>Hugging Face datasets</source>
        <translation>Hugging Face datasets</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="304"/>
        <source>brat standoff</source>
        <translation>brat standoff</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="311"/>
        <source>Label Studio (JSON tasks)</source>
        <translation>Label Studio (مهام JSON)</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="319"/>
        <source>Prodigy (JSON Lines)</source>
        <translation>Prodigy (أسطر JSON)</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="327"/>
        <source>WebAnno TSV 3.3 (INCEpTION)</source>
        <translation>WebAnno TSV 3.3 (INCEpTION)</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="335"/>
        <source>UIMA CAS XMI (INCEpTION, DKPro)</source>
        <translation>UIMA CAS XMI (INCEpTION وDKPro)</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="347"/>
        <source>cut the token at the span edge</source>
        <translation>اقطع الكلمة عند حد المقطع</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="353"/>
        <source>label the whole token</source>
        <translation>وسّم الكلمة كلها</translation>
    </message>
    <message>
        <location filename="../../workbench/core/export/formats.py" line="359"/>
        <source>leave the sentence out</source>
        <translation>استبعد الجملة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="51"/>
        <source>balance splits on the labels each document holds</source>
        <translation>وازن الأقسام حسب الوسوم في كل مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="54"/>
        <source>Choose…</source>
        <translation>اختيار…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="63"/>
        <source>Format</source>
        <translation>الصيغة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="64"/>
        <source>Spans from</source>
        <translation>المقاطع من</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="65"/>
        <source>Split (train/dev/test %)</source>
        <translation>التقسيم (تدريب/تطوير/اختبار %)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="66"/>
        <source>Seed</source>
        <translation>البذرة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="67"/>
        <source>Span edge inside a token</source>
        <translation>حد المقطع داخل كلمة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="71"/>
        <source>Folder</source>
        <translation>المجلد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="75"/>
        <source>Export</source>
        <translation>تصدير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="83"/>
        <source>Folder for the training set</source>
        <translation>مجلد مجموعة التدريب</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="107"/>
        <source>Exporting…</source>
        <translation>جارٍ التصدير…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="126"/>
        <source>Cancelling…</source>
        <translation>جارٍ الإلغاء…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/export_dialog.py" line="145"/>
        <source>Wrote %1 (%2 documents). The data card is README.md in that folder.</source>
        <translation>كُتب %1 (%2 مستندات). بطاقة البيانات هي README.md في ذلك المجلد.</translation>
    </message>
</context>
<context>
    <name>GuidelinesEditor</name>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="95"/>
        <location filename="../../workbench/ui/guidelines_editor.py" line="153"/>
        <source>Edit guidelines</source>
        <translation>تحرير الإرشادات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="102"/>
        <source>Markdown: # heading, **bold**, - list item. The annotators get these guidelines with their next project bundle.</source>
        <translation>صيغة Markdown: ‏# عنوان، ‏**غامق**، ‏- عنصر قائمة. تصل هذه الإرشادات إلى المُعلِّقين مع حزمة المشروع التالية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="166"/>
        <source>The guidelines have unsaved changes. Save them?</source>
        <translation>في الإرشادات تغييرات لم تُحفظ. أتحفظها؟</translation>
    </message>
</context>
<context>
    <name>GuidelinesPanel</name>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="205"/>
        <source>Your lead writes these guidelines: they come with each project bundle, so they cannot be edited in your copy.</source>
        <translation>يكتب قائد فريقك هذه الإرشادات: تصل مع كل حزمة مشروع، فلا يمكن تحريرها في نسختك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="213"/>
        <source>Edit guidelines…</source>
        <translation>تحرير الإرشادات…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="223"/>
        <source>This project has no guidelines yet. Write them with Edit guidelines…</source>
        <translation>لا توجد إرشادات لهذا المشروع بعد. اكتبها من «تحرير الإرشادات…».</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="225"/>
        <source>This project has no guidelines yet. The lead sets them in the project.</source>
        <translation>لا توجد إرشادات لهذا المشروع بعد. يضعها قائد الفريق في المشروع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="227"/>
        <source>key</source>
        <translation>المفتاح</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/guidelines_editor.py" line="227"/>
        <source>Labels</source>
        <translation>الوسوم</translation>
    </message>
</context>
<context>
    <name>LabelPalette</name>
    <message>
        <location filename="../../workbench/ui/label_palette.py" line="46"/>
        <source>key</source>
        <translation>المفتاح</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="270"/>
        <source>Labels</source>
        <translation>الوسوم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="272"/>
        <source>Spans in this document</source>
        <translation>المقاطع في هذا المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="278"/>
        <source>Attributes</source>
        <translation>الخصائص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="305"/>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="309"/>
        <source>Guidelines</source>
        <translation>الإرشادات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="311"/>
        <source>Team</source>
        <translation>الفريق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="318"/>
        <source>Agreement</source>
        <translation>الاتفاق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="321"/>
        <source>Adjudication</source>
        <translation>التحكيم</translation>
    </message>
    <message>
        <source>This project has no guidelines yet. The lead sets them in the project.</source>
        <translation type="vanished">لا توجد إرشادات لهذا المشروع بعد. يضعها قائد الفريق في المشروع.</translation>
    </message>
    <message>
        <source>key</source>
        <translation type="vanished">المفتاح</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/main_window.py" line="658"/>
        <source>Accept %n suggestion(s)</source>
        <translation>
            <numerusform>قبول %n اقتراح</numerusform>
            <numerusform>قبول اقتراح واحد</numerusform>
            <numerusform>قبول اقتراحين</numerusform>
            <numerusform>قبول %n اقتراحات</numerusform>
            <numerusform>قبول %n اقتراحًا</numerusform>
            <numerusform>قبول %n اقتراح</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/main_window.py" line="665"/>
        <source>Accepted %n suggestion(s); Ctrl+Z takes them back.</source>
        <translation>
            <numerusform>قُبل %n اقتراح؛ ‏Ctrl+Z يتراجع عن ذلك.</numerusform>
            <numerusform>قُبل اقتراح واحد؛ ‏Ctrl+Z يتراجع عنه.</numerusform>
            <numerusform>قُبل اقتراحان؛ ‏Ctrl+Z يتراجع عنهما.</numerusform>
            <numerusform>قُبلت %n اقتراحات؛ ‏Ctrl+Z يتراجع عنها.</numerusform>
            <numerusform>قُبل %n اقتراحًا؛ ‏Ctrl+Z يتراجع عنها.</numerusform>
            <numerusform>قُبل %n اقتراح؛ ‏Ctrl+Z يتراجع عنها.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="21"/>
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="22"/>
        <source>&amp;Edit</source>
        <translation>&amp;تحرير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="23"/>
        <source>&amp;Annotate</source>
        <translation>&amp;توسيم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="24"/>
        <source>&amp;Document</source>
        <translation>&amp;مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="25"/>
        <source>Ad&amp;judicate</source>
        <translation>ال&amp;تحكيم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="26"/>
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="80"/>
        <source>Label as %1</source>
        <translation>وسم كـ %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="89"/>
        <source>Accept version %1</source>
        <translation>قبول النسخة %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="124"/>
        <source>Open &amp;Recent</source>
        <translation>المشاريع ال&amp;أخيرة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="146"/>
        <source>(not found)</source>
        <translation>(غير موجود)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="151"/>
        <source>%1 is no longer there (moved or deleted).</source>
        <translation>لم يعد %1 في مكانه (نُقل أو حُذف).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="160"/>
        <source>No recent projects</source>
        <translation>لا مشاريع أخيرة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/window_menus.py" line="163"/>
        <source>Clear the list</source>
        <translation>امسح القائمة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="204"/>
        <source>Checking the file for damage; an edit waits for it…</source>
        <translation>جارٍ فحص الملف بحثًا عن تلف؛ ينتظر أي تعديل انتهاءه…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="466"/>
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="470"/>
        <source>Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="553"/>
        <source>Gazetteer to import</source>
        <translation>معجم الأسماء المراد استيراده</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="555"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>ملفات CSV (*.csv);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="567"/>
        <source>line %1: %2</source>
        <translation>السطر %1: %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="604"/>
        <source>Suggestions are on in this project.</source>
        <translation>الاقتراحات مفعّلة في هذا المشروع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="606"/>
        <source>Suggestions are off in this project: nothing is suggested or filled in.</source>
        <translation>الاقتراحات معطّلة في هذا المشروع: لا يُقترح شيء ولا تُملأ القيم تلقائيًا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="625"/>
        <source>This document has no suggestions to accept.</source>
        <translation>لا اقتراحات لقبولها في هذا المستند.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="650"/>
        <source>No suggestions for this document: %1</source>
        <translation>لا اقتراحات لهذا المستند: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="654"/>
        <source>No suggestion has a confidence of %1 or more.</source>
        <translation>لا اقتراح تبلغ ثقته %1 أو أكثر.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="698"/>
        <source>Set the publication date</source>
        <translation>تحديد تاريخ النشر</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="721"/>
        <source>Open a project or a project bundle</source>
        <translation>فتح مشروع أو حزمة مشروع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="723"/>
        <source>Projects and bundles (*.wbproj *.wbbundle *.wbwork *.zip);;All files (*)</source>
        <translation>المشاريع والحزم (*.wbproj *.wbbundle *.wbwork *.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Projects and bundles (*.wbproj *.wbbundle *.zip);;All files (*)</source>
        <translation type="vanished">المشاريع والحزم (*.wbproj *.wbbundle *.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="733"/>
        <source>Export work bundle</source>
        <translation>تصدير حزمة العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="733"/>
        <source>Work bundles (*.wbwork)</source>
        <translation>حزم العمل (*.wbwork)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="745"/>
        <source>Wrote %1: %2 spans on %3 documents.</source>
        <translation>كُتب %1: %2 مقطعًا في %3 مستندات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/adjudication_mode.py" line="66"/>
        <source>Layer: gold</source>
        <translation>الطبقة: الذهبية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="69"/>
        <source>characters</source>
        <translation>حرفًا</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="121"/>
        <source>Every document is done.</source>
        <translation>أُنجزت كل المستندات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="44"/>
        <source>Nothing to tag: the selection holds no letters or digits.</source>
        <translation>لا شيء للوسم: التحديد لا يحوي حروفًا ولا أرقامًا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="269"/>
        <source>A suggestion&apos;s values are edited once it is accepted (Enter).</source>
        <translation>تُحرَّر قيم الاقتراح بعد قبوله (‏Enter).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="277"/>
        <source>Select a span first: its attributes are edited here.</source>
        <translation>اختر مقطعًا أولًا: خصائصه تُحرَّر هنا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="324"/>
        <source>Already tagged %1: the existing span is selected.</source>
        <translation>موسوم من قبل بـ %1: حُدِّد المقطع الموجود.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="363"/>
        <source>This suggestion starts with no proclitic: Enter accepts it as it is.</source>
        <translation>لا يبدأ هذا الاقتراح بسابقة متصلة: ‏Enter يقبله كما هو.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="377"/>
        <source>Remove proclitic</source>
        <translation>إزالة السابقة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="424"/>
        <source>Accept %1 suggestion</source>
        <translation>قبول اقتراح %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_editing.py" line="448"/>
        <source>Reject %1 suggestion</source>
        <translation>رفض اقتراح %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="711"/>
        <source>All changes saved</source>
        <translation>كل التغييرات محفوظة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="712"/>
        <source>Every action is written to the project file as you make it.</source>
        <translation>يُكتب كل إجراء في ملف المشروع لحظة تنفيذه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/runner.py" line="38"/>
        <source>damaged, read-only</source>
        <translation>تالف، للقراءة فقط</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/runner.py" line="39"/>
        <source>This project file is damaged: it is open for reading only. Try an edit to see the ways out.</source>
        <translation>ملف المشروع هذا تالف: فُتح للقراءة فقط. جرّب أي تعديل لترى طرق استعادة العمل.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/runner.py" line="46"/>
        <source>read-only</source>
        <translation>للقراءة فقط</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/runner.py" line="47"/>
        <source>Read-only: %1. Editing is disabled.</source>
        <translation>للقراءة فقط: %1. التعديل معطَّل.</translation>
    </message>
</context>
<context>
    <name>Model</name>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="99"/>
        <source>No model to train: this layer has no suggestions.</source>
        <translation>لا نموذج للتدريب: هذه الطبقة بلا اقتراحات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="139"/>
        <source>The model could not be trained: %1</source>
        <translation>تعذّر تدريب النموذج: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="166"/>
        <source>Model: training…</source>
        <translation>النموذج: قيد التدريب…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="168"/>
        <source>Model: none yet (mark documents done)</source>
        <translation>النموذج: لا يوجد بعد (علّم مستندات كمنجزة)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="174"/>
        <source>Model: quiet until two documents are done (one is held out to test it)</source>
        <translation>النموذج: صامت حتى يُنجَز مستندان (يُحجَز أحدهما لاختباره)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="180"/>
        <source>Model: quiet until its held-out precision reaches %1 (now %2)</source>
        <translation>النموذج: صامت حتى تبلغ دقته على المستندات المحجوزة %1 (الآن %2)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="186"/>
        <source>Model: %1 documents, held-out F1 %2</source>
        <translation>النموذج: عدد المستندات %1، وF1 على المحجوزة %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="194"/>
        <source>The model learns from the documents you mark done; it is trained after each one.</source>
        <translation>يتعلّم النموذج من المستندات التي تعلّمها كمنجزة؛ ويُدرَّب بعد كل واحد منها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="198"/>
        <source>Trained %1 on %2 documents in %3 s.</source>
        <translation>دُرِّب في %1 على عدد من المستندات قدره %2 في %3 ث.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="206"/>
        <source>Held out: %1 documents (relaxed: same label, overlapping).</source>
        <translation>المحجوزة للاختبار: عدد المستندات %1 (المتساهل: الوسم نفسه مع التداخل).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="210"/>
        <source>overall</source>
        <translation>الإجمالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="215"/>
        <source>%1: precision %2, recall %3, F1 %4</source>
        <translation>%1: الدقة %2، الاستدعاء %3، F1 %4</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_trainer.py" line="221"/>
        <source>A new model is used from the next document opened.</source>
        <translation>يُستعمل النموذج الجديد من المستند التالي الذي يُفتح.</translation>
    </message>
</context>
<context>
    <name>PublicationDialog</name>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="229"/>
        <source>Publication date</source>
        <translation>تاريخ النشر</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="238"/>
        <source>The article&apos;s publication date is %1.</source>
        <translation>تاريخ نشر المقال %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="240"/>
        <source>The article has no publication date; its dateline says %1.</source>
        <translation>ليس للمقال تاريخ نشر؛ وسطر التاريخ فيه يقول %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="244"/>
        <source>The article has no publication date, and no dateline was found.</source>
        <translation>ليس للمقال تاريخ نشر، ولم يُعثر فيه على سطر تاريخ.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="251"/>
        <source>Relative dates (أمس، يوم الخميس، الشهر الماضي) are counted from this date; without it they get no value.</source>
        <translation>تُحسب التواريخ النسبية (أمس، يوم الخميس، الشهر الماضي) من هذا التاريخ؛ وبدونه تبقى بلا قيمة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="265"/>
        <source>Published on</source>
        <translation>نُشر في</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="267"/>
        <source>No publication date</source>
        <translation>بلا تاريخ نشر</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="72"/>
        <source>Search (harakat, tatweel and أ/إ/آ, ى, ة are ignored)</source>
        <translation>بحث (تُتجاهل الحركات والتطويل وأشكال أ/إ/آ وى وة)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="77"/>
        <source>This document</source>
        <translation>هذا المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="77"/>
        <source>All documents</source>
        <translation>كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="78"/>
        <source>Stop</source>
        <translation>إيقاف</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/search_panel.py" line="169"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n نتيجة</numerusform>
            <numerusform>نتيجة واحدة</numerusform>
            <numerusform>نتيجتان</numerusform>
            <numerusform>%n نتائج</numerusform>
            <numerusform>%n نتيجة</numerusform>
            <numerusform>%n نتيجة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/search_panel.py" line="170"/>
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n مستند</numerusform>
            <numerusform>مستند واحد</numerusform>
            <numerusform>مستندين</numerusform>
            <numerusform>%n مستندات</numerusform>
            <numerusform>%n مستندًا</numerusform>
            <numerusform>%n مستند</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="171"/>
        <source>%1 in %2</source>
        <comment>matches in documents</comment>
        <translation>%1 في %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="168"/>
        <source>No matches.</source>
        <translation>لا نتائج.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../workbench/ui/app.py" line="129"/>
        <source>Who is annotating?</source>
        <translation>من يُعلِّق؟</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="130"/>
        <source>Your name (it marks your annotations):</source>
        <translation>اسمك (يُعلَّم به توسيمك):</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="146"/>
        <source>Something went wrong: %1

Nothing was half-saved: every action is saved whole or not at all. Details are in %2.</source>
        <translation>حدث خطأ: %1

لم يُحفظ شيء ناقصًا: كل إجراء يُحفظ كاملًا أو لا يُحفظ. التفاصيل في %2.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="204"/>
        <source>The project you used last, %1, is no longer there; opened your default project.</source>
        <translation>لم يعد المشروع الذي استخدمته آخر مرة، %1، في مكانه؛ فُتح مشروعك الافتراضي.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="277"/>
        <source>Where to keep your copy of the project</source>
        <translation>أين تُحفظ نسختك من المشروع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="279"/>
        <location filename="../../workbench/ui/app.py" line="352"/>
        <source>Projects (*.wbproj)</source>
        <translation>المشاريع (*.wbproj)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="300"/>
        <source>Your lead&apos;s new key</source>
        <translation>المفتاح الجديد لقائد فريقك</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="303"/>
        <source>If your lead reads you the new fingerprint, type it here to accept the new key:</source>
        <translation>إن قرأ لك قائد فريقك البصمة الجديدة فاكتبها هنا لقبول المفتاح الجديد:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="312"/>
        <source>Your copy is %1: %2 documents for %3.</source>
        <translation>نسختك هي %1: فيها %2 مستندات لـ %3.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="320"/>
        <source>Your lead&apos;s key: %1. Compare it with the fingerprint your lead reads you.</source>
        <translation>مفتاح قائد فريقك: %1. قارنه بالبصمة التي يقرؤها لك قائد فريقك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="324"/>
        <source>Your lead&apos;s key: %1.</source>
        <translation>مفتاح قائد فريقك: %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="329"/>
        <source>Your key: %1 (read it to your lead when they import your first work bundle).</source>
        <translation>مفتاحك: %1 (اقرأه لقائد فريقك حين يستورد حزمة عملك الأولى).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="348"/>
        <source>The lead&apos;s project to import %1 into</source>
        <translation>مشروع قائد الفريق الذي تُستورد إليه %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="366"/>
        <source>%1 is an annotator&apos;s copy: a work bundle is imported into the lead&apos;s project.</source>
        <translation>%1 نسخة مُعلِّق: تُستورد حزمة العمل إلى مشروع قائد الفريق.</translation>
    </message>
</context>
<context>
    <name>SpanTableModel</name>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="94"/>
        <source>Label</source>
        <translation>الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="95"/>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="96"/>
        <source>Attributes</source>
        <translation>الخصائص</translation>
    </message>
</context>
<context>
    <name>Suggestions</name>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="60"/>
        <source>no values</source>
        <translation>بلا قيم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="62"/>
        <source>suggested: %1 (%2, %3)</source>
        <translation>مقترح: %1 (%2، %3)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="241"/>
        <source>%1 suggestion, not saved</source>
        <translation>اقتراح %1، غير محفوظ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="242"/>
        <source>Enter accepts it, Del rejects it, a label key accepts it with that label.</source>
        <translation>‏Enter يقبله، و‏Del يرفضه، ومفتاح الوسم يقبله بذلك الوسم.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="147"/>
        <source>No suggestions for this document: %1</source>
        <translation>لا اقتراحات لهذا المستند: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/suggestion_feed.py" line="173"/>
        <source>No suggestions on this document: it is in the half of your documents annotated without them, to measure the time they save (the lead&apos;s A/B split)</source>
        <translation>لا اقتراحات في هذا المستند: إنه من نصف مستنداتك الذي يُعلَّق بلا اقتراحات، لقياس الوقت الذي توفّره (تقسيم A/B الذي وضعه قائد الفريق)</translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="95"/>
        <source>Annotator</source>
        <translation>الموسِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="96"/>
        <source>Assigned</source>
        <translation>المُسنَد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="97"/>
        <source>To do</source>
        <translation>لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="98"/>
        <source>Started</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="99"/>
        <source>Done</source>
        <translation>منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="100"/>
        <source>Key</source>
        <translation>المفتاح</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="117"/>
        <source>Assign…</source>
        <translation>توزيع…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="118"/>
        <source>Export project bundles…</source>
        <translation>تصدير حزم المشروع…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="119"/>
        <source>Import work bundles…</source>
        <translation>استيراد حزم العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="120"/>
        <source>Re-pin a key…</source>
        <translation>تثبيت مفتاح جديد…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="172"/>
        <source>Pinned on %1 from their first work bundle signed with a key. Compare it by voice.</source>
        <translation>ثُبّت في %1 من أول حزمة عمل موقّعة بمفتاح. قارِنه مع صاحبه صوتيًا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="178"/>
        <source>old shared secret</source>
        <translation>السرّ المشترك القديم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="181"/>
        <source>Still signs with the shared secret of older versions, which anyone holding their project bundle could use. Their next work bundle from an updated Workbench pins a key.</source>
        <translation>ما زال يوقّع بالسرّ المشترك للإصدارات القديمة، وهو سرّ يستطيع استعماله كل من حصل على حزمة مشروعه. حزمة عمله التالية من إصدار محدَّث تثبّت له مفتاحًا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="186"/>
        <source>no key yet</source>
        <translation>لا مفتاح بعد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="187"/>
        <source>Their key is pinned from their first work bundle.</source>
        <translation>يُثبَّت مفتاحه من أول حزمة عمل يرسلها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="207"/>
        <source>Folder for the project bundles</source>
        <translation>مجلد حزم المشروع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="223"/>
        <source>Work bundles to import</source>
        <translation>حزم العمل المراد استيرادها</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="223"/>
        <location filename="../../workbench/ui/team_panel.py" line="233"/>
        <source>Work bundles (*.wbwork *.zip);;All files (*)</source>
        <translation>حزم العمل (*.wbwork *.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="231"/>
        <source>Work bundle signed by the new key</source>
        <translation>حزمة العمل الموقّعة بالمفتاح الجديد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="239"/>
        <source>Re-pin a key</source>
        <translation>تثبيت مفتاح جديد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="240"/>
        <source>The fingerprint the annotator reads you (eight groups of four characters):</source>
        <translation>البصمة التي يقرؤها عليك المُعلِّم (ثماني مجموعات من أربعة محارف):</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="258"/>
        <source>Pinned %1 for %2. Now import the bundle.</source>
        <translation>ثُبّت المفتاح %1 لـ %2. استورد الحزمة الآن.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="266"/>
        <source>Merging work bundles…</source>
        <translation>دمج حزم العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="266"/>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="306"/>
        <source>%1: merged %2 documents of %3</source>
        <translation>%1: دُمج %2 مستندات لـ %3</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="313"/>
        <source>  First bundle signed with a key from %1: pinned %2. Ask %1 to read you their key.</source>
        <translation>  أول حزمة موقّعة بمفتاح من %1: ثُبّت المفتاح %2. اطلب من %1 أن يقرأ عليك مفتاحه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="319"/>
        <source>  %1 still signs with the old shared secret: ask them to update Workbench.</source>
        <translation>  ما زال %1 يوقّع بالسرّ المشترك القديم: اطلب منه تحديث Workbench.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="324"/>
        <source>%1: refused. %2</source>
        <translation>%1: مرفوضة. %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="328"/>
        <source>Nothing to merge.</source>
        <translation>لا شيء للدمج.</translation>
    </message>
</context>
</TS>
