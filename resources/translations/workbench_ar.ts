<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="64" />
        <source>Assign documents</source>
        <translation>توزيع المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="75" />
        <source>Annotators per document</source>
        <translation>عدد الموسِّمين لكل مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="78" />
        <source>Seed (same seed, same assignment)</source>
        <translation>البذرة (البذرة نفسها تعطي التوزيع نفسه)</translation>
    </message>
</context>
<context>
    <name>AttributeForm</name>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="29" />
        <source>canonical</source>
        <translation>الاسم المعتمد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="30" />
        <source>count</source>
        <translation>العدد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="31" />
        <source>kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="32" />
        <source>approximate</source>
        <translation>تقريبي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="33" />
        <source>value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="34" />
        <source>precision</source>
        <translation>الدقة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="35" />
        <source>killed</source>
        <translation>قتلى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="36" />
        <source>injured</source>
        <translation>جرحى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="37" />
        <source>captured</source>
        <translation>أسرى</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="38" />
        <source>missing</source>
        <translation>مفقودون</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="39" />
        <source>unspecified</source>
        <translation>غير محدد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="40" />
        <source>day</source>
        <translation>يوم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="41" />
        <source>month</source>
        <translation>شهر</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="42" />
        <source>year</source>
        <translation>سنة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="74" />
        <source>Select a span to see its attributes.</source>
        <translation>اختر مقطعًا لعرض خصائصه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="117" />
        <source>A note for the adjudicator</source>
        <translation>ملاحظة للمحكِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="120" />
        <source>note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attribute_form.py" line="121" />
        <source>unsure</source>
        <translation>غير متأكد</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <location filename="../../workbench/ui/commands.py" line="25" />
        <source>Delete span</source>
        <translation>حذف المقطع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="25" />
        <source>Delete the selected span.</source>
        <translation>احذف المقطع المحدد.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="26" />
        <source>Remove leading proclitic</source>
        <translation>إزالة السابقة المتصلة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="27" />
        <source>Drop a leading و ف ب ل ك from the selected span (or selection).</source>
        <translation>أزل حرف و أو ف أو ب أو ل أو ك من بداية المقطع المحدد (أو التحديد).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="28" />
        <source>Move end edge one character right</source>
        <translation>تحريك نهاية المقطع حرفًا إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="29" />
        <source>Move the selected span's end edge one character to the right (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد حرفًا واحدًا إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="30" />
        <source>Move end edge one character left</source>
        <translation>تحريك نهاية المقطع حرفًا إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="31" />
        <source>Move the selected span's end edge one character to the left (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد حرفًا واحدًا إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="32" />
        <source>Move end edge one word right</source>
        <translation>تحريك نهاية المقطع كلمةً إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="33" />
        <source>Move the selected span's end edge one word to the right (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد كلمة واحدة إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="34" />
        <source>Move end edge one word left</source>
        <translation>تحريك نهاية المقطع كلمةً إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="35" />
        <source>Move the selected span's end edge one word to the left (as the text is drawn).</source>
        <translation>حرّك نهاية المقطع المحدد كلمة واحدة إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="36" />
        <source>Move start edge one character right</source>
        <translation>تحريك بداية المقطع حرفًا إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="37" />
        <source>Move the selected span's start edge one character to the right (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد حرفًا واحدًا إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="38" />
        <source>Move start edge one character left</source>
        <translation>تحريك بداية المقطع حرفًا إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="39" />
        <source>Move the selected span's start edge one character to the left (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد حرفًا واحدًا إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="40" />
        <source>Move start edge one word right</source>
        <translation>تحريك بداية المقطع كلمةً إلى اليمين</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="41" />
        <source>Move the selected span's start edge one word to the right (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد كلمة واحدة إلى اليمين (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="42" />
        <source>Move start edge one word left</source>
        <translation>تحريك بداية المقطع كلمةً إلى اليسار</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="43" />
        <source>Move the selected span's start edge one word to the left (as the text is drawn).</source>
        <translation>حرّك بداية المقطع المحدد كلمة واحدة إلى اليسار (كما يظهر النص).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="44" />
        <source>Toggle unsure</source>
        <translation>تبديل «غير متأكد»</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="44" />
        <source>Flag or unflag the selected span as unsure.</source>
        <translation>علّم المقطع المحدد بأنك غير متأكد منه أو أزل العلامة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="45" />
        <source>Next span</source>
        <translation>المقطع التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="45" />
        <source>Select the next span in reading order.</source>
        <translation>اختر المقطع التالي بترتيب القراءة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="46" />
        <source>Previous span</source>
        <translation>المقطع السابق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="46" />
        <source>Select the previous span.</source>
        <translation>اختر المقطع السابق.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="47" />
        <source>Clear selection</source>
        <translation>إلغاء التحديد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="47" />
        <source>Deselect the text and the span.</source>
        <translation>ألغِ تحديد النص والمقطع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="48" />
        <source>Snap to word edges</source>
        <translation>الالتصاق بحدود الكلمات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="48" />
        <source>New spans grow to whole words (on by default).</source>
        <translation>تمتد المقاطع الجديدة إلى كلمات كاملة (مفعّل افتراضيًا).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="50" />
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="50" />
        <source>Undo the last action.</source>
        <translation>تراجع عن آخر إجراء.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="51" />
        <source>Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="51" />
        <source>Redo the last undone action.</source>
        <translation>أعد آخر إجراء تراجعت عنه.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="52" />
        <source>Find in document</source>
        <translation>بحث في المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="53" />
        <source>Search the open document (ignores harakat and tatweel; أ إ آ = ا, ى = ي, ة = ه).</source>
        <translation>ابحث في المستند المفتوح (يتجاهل الحركات والتطويل؛ أ إ آ = ا، ى = ي، ة = ه).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="54" />
        <source>Find in all documents</source>
        <translation>بحث في كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="54" />
        <source>Search the whole corpus.</source>
        <translation>ابحث في المدونة كلها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="55" />
        <source>Find next</source>
        <translation>النتيجة التالية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="55" />
        <source>Go to the next search result.</source>
        <translation>انتقل إلى نتيجة البحث التالية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="57" />
        <source>Mark done and go to next</source>
        <translation>تعليم كمنجز والانتقال إلى التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="58" />
        <source>Mark the document done and open the next unfinished one.</source>
        <translation>علّم المستند كمنجز وافتح المستند التالي غير المنجز.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="59" />
        <source>Mark in progress</source>
        <translation>تعليم كقيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="60" />
        <source>Set the document back to in progress.</source>
        <translation>أعد المستند إلى حالة «قيد العمل».</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="61" />
        <source>Next document</source>
        <translation>المستند التالي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="61" />
        <source>Open the next document in the list.</source>
        <translation>افتح المستند التالي في القائمة.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="62" />
        <source>Previous document</source>
        <translation>المستند السابق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="62" />
        <source>Open the previous document.</source>
        <translation>افتح المستند السابق.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="64" />
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="64" />
        <source>Larger text (remembered).</source>
        <translation>نص أكبر (يُحفظ الاختيار).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="65" />
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="65" />
        <source>Smaller text (remembered).</source>
        <translation>نص أصغر (يُحفظ الاختيار).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="66" />
        <source>Actual size</source>
        <translation>الحجم الافتراضي</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="66" />
        <source>Default text size.</source>
        <translation>حجم النص الافتراضي.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="67" />
        <source>Guidelines</source>
        <translation>الإرشادات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="67" />
        <source>Show or hide the project's guidelines.</source>
        <translation>اعرض إرشادات المشروع أو أخفها.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="68" />
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="68" />
        <source>Show the interface in English.</source>
        <translation>اعرض الواجهة بالإنجليزية.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="69" />
        <source>العربية</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="69" />
        <source>Show the interface in Arabic (mirrored layout).</source>
        <translation>اعرض الواجهة بالعربية (تخطيط معكوس).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="70" />
        <source>Open project or bundle…</source>
        <translation>فتح مشروع أو حزمة…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="71" />
        <source>Open a project file, or a project bundle from your team lead.</source>
        <translation>افتح ملف مشروع، أو حزمة مشروع من قائد فريقك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="72" />
        <source>Export work bundle…</source>
        <translation>تصدير حزمة العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="73" />
        <source>Write your work to one signed file for your team lead.</source>
        <translation>اكتب عملك في ملف واحد موقَّع لقائد فريقك.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="74" />
        <source>Team</source>
        <translation>الفريق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="75" />
        <source>Show the team panel: assignments, progress, bundles.</source>
        <translation>اعرض لوحة الفريق: التوزيع والتقدم والحزم.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="76" />
        <source>Quit</source>
        <translation>خروج</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/commands.py" line="76" />
        <source>Close the app (everything is already saved).</source>
        <translation>أغلق التطبيق (كل شيء محفوظ مسبقًا).</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="14" />
        <source>○ To do</source>
        <translation>○ لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="15" />
        <source>◐ Started</source>
        <translation>◐ قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="16" />
        <source>● Done</source>
        <translation>● منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="26" />
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="27" />
        <source>Length</source>
        <translation>الطول</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_list.py" line="28" />
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
</context>
<context>
    <name>DocumentPanel</name>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="35" />
        <source>All documents</source>
        <translation>كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="36" />
        <source>Not started</source>
        <translation>لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="36" />
        <source>In progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="36" />
        <source>Done</source>
        <translation>منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/document_panel.py" line="118" />
        <source>%1 of %2 done · %3 in progress</source>
        <translation>أُنجز %1 من %2 · %3 قيد العمل</translation>
    </message>
</context>
<context>
    <name>LabelPalette</name>
    <message>
        <location filename="../../workbench/ui/label_palette.py" line="46" />
        <source>key</source>
        <translation>المفتاح</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="107" />
        <location filename="../../workbench/ui/main_window.py" line="179" />
        <source>Labels</source>
        <translation>الوسوم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="109" />
        <source>Spans in this document</source>
        <translation>المقاطع في هذا المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="111" />
        <source>Attributes</source>
        <translation>الخصائص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="125" />
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="130" />
        <source>Guidelines</source>
        <translation>الإرشادات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="135" />
        <source>Team</source>
        <translation>الفريق</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="177" />
        <source>This project has no guidelines yet. The lead sets them in the project.</source>
        <translation>لا توجد إرشادات لهذا المشروع بعد. يضعها قائد الفريق في المشروع.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="179" />
        <source>key</source>
        <translation>المفتاح</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="222" />
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="223" />
        <source>&amp;Edit</source>
        <translation>&amp;تحرير</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="224" />
        <source>&amp;Annotate</source>
        <translation>&amp;توسيم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="225" />
        <source>&amp;Document</source>
        <translation>&amp;مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="226" />
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="242" />
        <source>Label as %1</source>
        <translation>وسم كـ %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="262" />
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="264" />
        <source>Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="271" />
        <source>Open a project or a project bundle</source>
        <translation>فتح مشروع أو حزمة مشروع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="273" />
        <source>Projects and bundles (*.wbproj *.wbbundle *.zip);;All files (*)</source>
        <translation>المشاريع والحزم (*.wbproj *.wbbundle *.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="283" />
        <source>Export work bundle</source>
        <translation>تصدير حزمة العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="283" />
        <source>Work bundles (*.wbwork)</source>
        <translation>حزم العمل (*.wbwork)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="293" />
        <source>Wrote %1: %2 spans on %3 documents.</source>
        <translation>كُتب %1: %2 مقطعًا في %3 مستندات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="324" />
        <source>characters</source>
        <translation>حرفًا</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="347" />
        <source>Every document is done.</source>
        <translation>أُنجزت كل المستندات.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="359" />
        <source>Nothing to tag: the selection holds no letters or digits.</source>
        <translation>لا شيء للوسم: التحديد لا يحوي حروفًا ولا أرقامًا.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="431" />
        <source>Remove proclitic</source>
        <translation>إزالة السابقة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="518" />
        <source>All changes saved</source>
        <translation>كل التغييرات محفوظة</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="519" />
        <source>Every action is written to the project file as you make it.</source>
        <translation>يُكتب كل إجراء في ملف المشروع لحظة تنفيذه.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="58" />
        <source>Search (harakat, tatweel and أ/إ/آ, ى, ة are ignored)</source>
        <translation>بحث (تُتجاهل الحركات والتطويل وأشكال أ/إ/آ وى وة)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="63" />
        <source>This document</source>
        <translation>هذا المستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="63" />
        <source>All documents</source>
        <translation>كل المستندات</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="64" />
        <source>Stop</source>
        <translation>إيقاف</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="141" />
        <source>%1 matches in %2 documents</source>
        <translation>%1 نتيجة في %2 مستند</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="143" />
        <source>No matches.</source>
        <translation>لا نتائج.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../workbench/ui/app.py" line="166" />
        <source>Your name (it marks your annotations):</source>
        <translation>اسمك (يُعلَّم به توسيمك):</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="182" />
        <source>Something went wrong: %1

Nothing was half-saved: every action is saved whole or not at all. Details are in %2.</source>
        <translation>حدث خطأ: %1

لم يُحفظ شيء ناقصًا: كل إجراء يُحفظ كاملًا أو لا يُحفظ. التفاصيل في %2.</translation>
    </message>
</context>
<context>
    <name>SpanTableModel</name>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="34" />
        <source>Label</source>
        <translation>الوسم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="35" />
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/span_table.py" line="36" />
        <source>Attributes</source>
        <translation>الخصائص</translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="94" />
        <source>Annotator</source>
        <translation>الموسِّم</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="95" />
        <source>Assigned</source>
        <translation>المُسنَد</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="96" />
        <source>To do</source>
        <translation>لم يبدأ</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="97" />
        <source>Started</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="98" />
        <source>Done</source>
        <translation>منجز</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="115" />
        <source>Assign…</source>
        <translation>توزيع…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="116" />
        <source>Export project bundles…</source>
        <translation>تصدير حزم المشروع…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="117" />
        <source>Import work bundles…</source>
        <translation>استيراد حزم العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="155" />
        <source>Folder for the project bundles</source>
        <translation>مجلد حزم المشروع</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="169" />
        <source>Work bundles to import</source>
        <translation>حزم العمل المراد استيرادها</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="169" />
        <source>Work bundles (*.wbwork *.zip);;All files (*)</source>
        <translation>حزم العمل (*.wbwork *.zip);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="176" />
        <source>Merging work bundles…</source>
        <translation>دمج حزم العمل…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="176" />
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="202" />
        <source>%1: merged %2 documents of %3</source>
        <translation>%1: دُمج %2 مستندات لـ %3</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="205" />
        <source>%1: refused. %2</source>
        <translation>%1: مرفوضة. %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/team_panel.py" line="207" />
        <source>Nothing to merge.</source>
        <translation>لا شيء للدمج.</translation>
    </message>
</context>
</TS>