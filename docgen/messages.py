"""Message catalogue: code → (Thai, English).  Placeholders use str.format names."""

MESSAGES: dict[str, tuple[str, str]] = {
    # file level
    "file-missing": ("ไม่พบไฟล์ {path}", "file not found: {path}"),
    "file-unreadable": ("อ่านไฟล์ไม่ได้: {detail}", "cannot read the file: {detail}"),
    "file-syntax": ("รูปแบบไฟล์ไม่ถูกต้อง: {detail}", "the file is not valid {kind}: {detail}"),
    "file-format": ("ไม่รองรับไฟล์ชนิด {ext} (ใช้ .yaml .yml หรือ .json)", "unsupported file type {ext} (use .yaml, .yml or .json)"),
    "not-mapping": ("ไฟล์ต้องเป็นชุดข้อมูลแบบ ชื่อ: ค่า (ได้รับ {got})", "the file must contain a mapping of field: value (got {got})"),
    "file-syntax-at": ("ไฟล์ {kind} ไม่ถูกต้องที่บรรทัด {line} คอลัมน์ {column}: {detail}{hint_th}",
                       "the file is not valid {kind} at line {line}, column {column}: {detail}{hint_en}"),
    "file-encoding": ("ไฟล์ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ {position} บรรทัด {line}){hint_th}",
                      "the file is not UTF-8 (byte {position}, line {line}){hint_en}"),
    "file-binary": ("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ (มีไบต์ศูนย์) ใช้ไฟล์ YAML หรือ JSON", "this is not a text file (it contains NUL bytes); use a YAML or JSON file"),
    "file-too-large": ("ไฟล์ใหญ่เกินไป ({size} ไบต์; ไม่เกิน {limit})", "the file is too large ({size} bytes; at most {limit})"),
    "file-empty": ("ไฟล์ว่างเปล่า ไม่มีข้อมูลหนังสือ", "the file is empty: it holds no letter"),
    "file-too-deep": ("ข้อมูลซ้อนกันลึกเกิน {limit} ชั้น", "the data is nested deeper than {limit} levels"),
    "file-recursive": ("ข้อมูลอ้างถึงตัวเอง (YAML alias วนซ้ำ)", "the data refers to itself (a recursive YAML alias)"),
    "duplicate-key": ("ช่อง '{name}' ซ้ำกัน (บรรทัด {first} และ {second})", "the key '{name}' is given twice (lines {first} and {second})"),
    "duplicate-key-json": ("ช่อง '{name}' ซ้ำกัน", "the key '{name}' is given twice"),
    "profile-unsafe": ("โปรไฟล์ต้องเป็นไฟล์ในเครื่อง ไม่ใช่ URL ('{value}')", "the profile must be a local file, not a URL ('{value}')"),
    # fields
    "required": ("ต้องระบุ {field}", "{field} is required"),
    "unknown-field": ("ไม่รู้จักช่อง '{name}'{hint_th}", "unknown field '{name}'{hint_en}"),
    "type": ("ต้องเป็น{expected_th} (ได้รับ {got})", "must be {expected_en} (got {got})"),
    "choice": ("ค่า '{value}' ไม่ถูกต้อง ใช้ได้: {allowed}", "'{value}' is not allowed; use one of: {allowed}"),
    "empty": ("ต้องไม่ว่าง", "must not be empty"),
    "too-long": ("ยาวเกินไป ({length} ตัวอักษร; ไม่เกิน {limit})", "too long ({length} characters; at most {limit})"),
    "long": ("ค่อนข้างยาว ({length} ตัวอักษร) ควรสรุปให้สั้นลง", "rather long ({length} characters); consider shortening it"),
    "too-many": ("มีมากเกินไป ({count}; ไม่เกิน {limit})", "too many ({count}; at most {limit})"),
    "too-deep": ("ข้อย่อยลึกเกิน {limit} ระดับ", "items nested deeper than {limit} levels"),
    "number-range": ("ต้องเป็นจำนวนเต็มตั้งแต่ {low} ถึง {high} (ได้รับ {value})", "must be a whole number from {low} to {high} (got {value})"),
    # dates
    "date-unreadable": ("อ่านวันที่ '{value}' ไม่ได้ ใช้ 2024-05-30 หรือ 30 พฤษภาคม 2567", "cannot read the date '{value}'; write 2024-05-30 or 30 พฤษภาคม 2567"),
    "date-impossible": ("ไม่มีวันที่ '{value}' ในปฏิทิน", "'{value}' is not a real date"),
    "date-month": ("ไม่รู้จักชื่อเดือนใน '{value}'", "unknown month name in '{value}'"),
    "date-be-as-ce": ("ปี {year} ในรูปแบบ ค.ศ. (ปปปป-ดด-วว) ดูเหมือนเป็น พ.ศ. ถือว่าเป็น พ.ศ. {year}", "year {year} in an ISO (C.E.) date looks like B.E.; read as B.E. {year}"),
    "date-ce-as-be": ("ปี {year} ดูเหมือนเป็น ค.ศ. ถือว่าเป็น ค.ศ. {year} (พ.ศ. {be})", "year {year} in a Thai date looks like C.E.; read as C.E. {year} (B.E. {be})"),
    "date-far": ("วันที่ {value} ห่างจากวันนี้เกิน 1 ปี", "the date {value} is more than a year away from today"),
    # text hygiene
    "markup": ("มีข้อความคล้ายคำสั่ง HTML/XML ({snippet}) จะพิมพ์ตามตัวอักษร", "contains HTML/XML-looking text ({snippet}); it is printed as plain text"),
    "url-in-text": ("มี URL ({snippet}) จะพิมพ์เป็นข้อความเท่านั้น ไม่มีการเปิดอ่าน", "contains a URL ({snippet}); it is printed as text and never loaded"),
    "invisible": ("พบอักขระที่มองไม่เห็น ({names}) ได้ลบออกแล้ว", "invisible characters ({names}) were removed"),
    "sara-am": ("พบ ํ+า ซึ่งพิมพ์แทน ำ ได้แก้เป็น ำ แล้ว", "ํ+า typed for ำ was normalised to ำ"),
    "control": ("พบอักขระควบคุม ได้ลบออกแล้ว", "control characters were removed"),
    # forms of address
    "royal": ("หนังสือถึงพระบรมวงศานุวงศ์ต้องร่างด้วยมือ ระบบไม่จัดทำให้", "letters to royal addressees are drafted by hand; docgen refuses them"),
    "salutation-mismatch": ("คำขึ้นต้น '{given}' ไม่ตรงกับภาคผนวก ๒ สำหรับ '{to}' (ควรเป็น '{expected}')", "salutation '{given}' contradicts ภาคผนวก ๒ for '{to}' (expected '{expected}')"),
    "closing-mismatch": ("คำลงท้าย '{given}' ไม่ตรงกับภาคผนวก ๒ (ควรเป็น '{expected}')", "closing '{given}' contradicts ภาคผนวก ๒ (expected '{expected}')"),
    "purpose-mismatch": ("ประโยคจุดประสงค์ใช้ '{given}' แต่คำขึ้นต้นคือ '{expected}'", "the purpose sentence says '{given}' but the salutation is '{expected}'"),
    "closing-in-memo": ("บันทึกข้อความไม่มีคำลงท้าย จะไม่พิมพ์ '{given}'", "a memo has no closing; '{given}' is not printed"),
    # paths and assets
    "path-unsafe": ("เส้นทาง '{value}' ไม่อนุญาต (ห้าม URL หรือ ../) ใช้ไฟล์ในโฟลเดอร์เดียวกับโปรไฟล์", "path '{value}' is not allowed (no URL, no ../); use a file in the profile's folder"),
    "emblem-missing": ("ไม่ได้ระบุไฟล์ตราครุฑ จะพิมพ์กรอบแทนที่ขนาดจริง", "no Garuda emblem file: a labelled placeholder of the exact size is printed"),
    "emblem-notfound": ("ไม่พบไฟล์ตราครุฑ '{value}'", "emblem file '{value}' not found"),
    "emblem-format": ("ไฟล์ตราครุฑต้องเป็น PNG หรือ JPEG ('{value}')", "the emblem must be a PNG or JPEG file ('{value}')"),
    "profile-missing": ("ไม่พบโปรไฟล์หน่วยงาน '{value}'", "agency profile '{value}' not found"),
    "layout-value": ("ค่าขนาดหน้ากระดาษ '{key}' ต้องเป็นตัวเลขบวก", "layout value '{key}' must be a positive number"),
    "layout-key": ("ไม่รู้จักค่าหน้ากระดาษ '{key}'", "unknown layout key '{key}'"),
    # letter logic
    "draft-number": ("ไม่มีเลขทะเบียนส่ง จะพิมพ์เป็นร่าง (เว้นเลขหลัง /)", "no register number: rendered as a draft with the number left blank"),
    "no-purpose": ("ไม่มีประโยคจุดประสงค์ (จึงเรียนมาเพื่อ…)", "no purpose sentence (จึงเรียนมาเพื่อ…)"),
    "acting-principal": ("ระบุ {given} แล้ว ต้องระบุตำแหน่งของผู้ที่ลงนามแทน (principal)", "{given} needs the principal's position (principal)"),
    "principal-without-acting": ("ระบุ principal แต่ไม่ได้ระบุคำว่าปฏิบัติราชการแทน ฯลฯ (acting)", "principal given without an acting form (acting)"),
}

FIELD_TYPES_TH = {
    "text": "ข้อความ", "list": "รายการ", "mapping": "ชุดข้อมูลแบบ ชื่อ: ค่า",
    "bool": "true หรือ false", "int": "จำนวนเต็ม", "date": "วันที่",
}

# register (ทะเบียนหนังสือส่ง) — docgen.register
MESSAGES.update({
    "db-url": ("ที่อยู่ฐานข้อมูล '{url}' ไม่ถูกต้อง (ใช้ sqlite:///ไฟล์ หรือ postgresql://…)", "unsupported database URL '{url}' (use sqlite:///FILE or postgresql://…)"),
    "db-open": ("เปิดฐานข้อมูลทะเบียน '{url}' ไม่ได้: {detail}", "cannot open the register database '{url}': {detail}"),
    "db-not-sqlite": ("ไฟล์ '{url}' ไม่ใช่ฐานข้อมูล SQLite", "'{url}' is not an SQLite database"),
    "db-unreachable": ("ติดต่อฐานข้อมูลทะเบียน '{url}' ไม่ได้: {detail}", "cannot reach the register database '{url}': {detail}"),
    "db-locked": ("ฐานข้อมูลทะเบียนถูกล็อกโดยผู้ใช้อื่นนานเกิน {seconds} วินาที ลองใหม่อีกครั้ง", "the register database stayed locked by someone else for more than {seconds} s; try again"),
    "db-error": ("ฐานข้อมูลทะเบียนผิดพลาด: {detail}", "register database error: {detail}"),
    "db-no-schema": ("ยังไม่ได้สร้างทะเบียนใน '{url}' ให้สั่ง docgen register init ก่อน", "no register in '{url}' yet; run docgen register init first"),
    "db-newer": ("ทะเบียนนี้สร้างด้วย docgen รุ่นใหม่กว่า (schema {found} > {known})", "this register was made by a newer docgen (schema {found} > {known})"),
    "series-unknown": ("ไม่รู้จักชุดเลขทะเบียน '{value}' ใช้ได้: {allowed}", "unknown number series '{value}'; use one of: {allowed}"),
    "count-range": ("จำนวนเลขที่จองต้องเป็นจำนวนเต็มตั้งแต่ {low} ถึง {high} (ได้รับ '{value}')", "the count must be a whole number from {low} to {high} (got '{value}')"),
    "number-unreadable": ("อ่านเลขทะเบียน '{value}' ไม่ได้ ใช้ เช่น 74, ว 74 หรือ ว74", "cannot read the register number '{value}'; write e.g. 74, ว 74 or ว74"),
    "year-unreadable": ("ปี พ.ศ. '{value}' ไม่ถูกต้อง (เช่น 2567)", "'{value}' is not a B.E. year (e.g. 2567)"),
    "number-missing": ("ไม่พบเลขทะเบียน {number} ชุด {series} ปี {year} ของ '{prefix}'", "register number {number} (series {series}, year {year}) of '{prefix}' does not exist"),
    "prefix-none": ("ทะเบียนยังว่างอยู่ ระบุ --prefix หรือ --profile", "the register is empty; give --prefix or --profile"),
    "prefix-many": ("ทะเบียนมีหลายรหัสหน่วยงาน ({prefixes}) ระบุ --prefix หรือ --profile", "the register holds several prefixes ({prefixes}); give --prefix or --profile"),
    "prefix-empty": ("ต้องระบุรหัสหน่วยงาน (ref_prefix) เช่น 'นร 1200'", "a prefix (ref_prefix) is required, e.g. 'นร 1200'"),
    "reason-required": ("ต้องระบุเหตุผล (--reason)", "a reason is required (--reason)"),
    "already-cancelled": ("เลขทะเบียน {ref} ถูกยกเลิกไปแล้ว ({reason})", "register number {ref} is already cancelled ({reason})"),
    "cancelled-during-render": ("เลขทะเบียน {ref} ถูกยกเลิกระหว่างจัดทำเอกสาร จึงลบไฟล์ที่สร้างแล้ว", "register number {ref} was cancelled while rendering; its files were removed"),
    "render-failed": ("จัดทำเอกสารไม่สำเร็จ เลขทะเบียน {ref} ถูกยกเลิก (ไม่นำมาใช้ซ้ำ): {detail}", "rendering failed; register number {ref} is cancelled (never reused): {detail}"),
    "export-format": ("ไม่รองรับรูปแบบ '{value}' ใช้ csv, xlsx หรือ pdf", "unsupported format '{value}'; use csv, xlsx or pdf"),
    "output-unwritable": ("เขียนไฟล์ '{path}' ไม่ได้: {detail}", "cannot write '{path}': {detail}"),
    "search-long": ("คำค้นยาวเกินไป ({length} ตัวอักษร; ไม่เกิน {limit})", "search text too long ({length} characters; at most {limit})"),
})
MESSAGES.update({
    "renderer-missing": ("ยังไม่มีตัวสร้างไฟล์ {fmt} ({detail}) จึงไม่ได้ออกเลข", "no {fmt} renderer is available ({detail}); no number was taken"),
})
