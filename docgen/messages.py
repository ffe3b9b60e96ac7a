"""Message catalogue: code → (Thai, English).  Placeholders use str.format names."""

MESSAGES: dict[str, tuple[str, str]] = {
    # file level
    "file-missing": ("ไม่พบไฟล์ {path}", "file not found: {path}"),
    "file-unreadable": ("อ่านไฟล์ไม่ได้: {detail}", "cannot read the file: {detail}"),
    "file-syntax": ("ไฟล์ {kind} ไม่ถูกต้อง: {detail}", "the file is not valid {kind}: {detail}"),
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
    "path-in-text": ("มีข้อความคล้ายเส้นทางไฟล์ ({snippet}) จะพิมพ์เป็นข้อความเท่านั้น ไม่มีการเปิดอ่าน", "contains a file path ({snippet}); it is printed as text and never opened"),
    "to-near-position": ("'{to}' ขึ้นต้นด้วยตำแหน่ง '{position}' ซึ่งใช้ '{salutation}' แต่ไม่ตรงกับตำแหน่งนั้นทุกตัวอักษร จึงใช้ '{used}' หากเป็นผู้ดำรงตำแหน่งนั้น ให้เขียนเฉพาะชื่อตำแหน่ง (ชื่อบุคคลใส่ในวงเล็บ)",
                         "'{to}' begins with the position '{position}', which takes '{salutation}', but is not exactly that position, so '{used}' is used; if the recipient holds that position, write the position alone (a personal name in parentheses)"),
    "invisible": ("พบอักขระที่มองไม่เห็น ({names}) ได้ลบออกแล้ว", "invisible characters ({names}) were removed"),
    "sara-am": ("พบ ํ+า ซึ่งพิมพ์แทน ำ ได้แก้เป็น ำ แล้ว", "ํ+า typed for ำ was normalised to ำ"),
    "control": ("พบอักขระควบคุม ได้ลบออกแล้ว", "control characters were removed"),
    # forms of address
    "royal": ("หนังสือถึงพระบรมวงศานุวงศ์ต้องร่างด้วยมือ ระบบไม่จัดทำให้", "letters to royal addressees are drafted by hand; docgen refuses them"),
    "royal-unlisted": ("'{to}' อาจเป็นพระบรมวงศานุวงศ์หรือสมเด็จพระราชาคณะที่ไม่มีในตารางภาคผนวก ๒ ของระบบ จึงไม่จัดทำให้ (เพิ่มในตาราง data/forms_of_address.yaml หากเป็นพระสงฆ์)",
                       "'{to}' may be a royal title or a Somdet-rank monk missing from docgen's ภาคผนวก ๒ table, so docgen refuses it (add it to data/forms_of_address.yaml if it is a monk)"),
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
    "layout-text": ("ค่าหน้ากระดาษ '{key}' ไม่ถูกต้อง ใช้ได้: {allowed}", "layout value '{key}' is not allowed; use {allowed}"),
    "layout-key": ("ไม่รู้จักค่าหน้ากระดาษ '{key}'", "unknown layout key '{key}'"),
    # letter logic
    "draft-number": ("ไม่มีเลขทะเบียนส่ง จะพิมพ์เป็นร่าง (เว้นเลขหลัง /)", "no register number: rendered as a draft with the number left blank"),
    "no-purpose": ("ไม่มีประโยคจุดประสงค์ (จึงเรียนมาเพื่อ…)", "no purpose sentence (จึงเรียนมาเพื่อ…)"),
    "acting-principal": ("ระบุ {given} แล้ว ต้องระบุตำแหน่งของผู้ที่ลงนามแทน (principal)", "{given} needs the principal's position (principal)"),
    "principal-without-acting": ("ระบุ principal แต่ไม่ได้ระบุคำว่าปฏิบัติราชการแทน ฯลฯ (acting)", "principal given without an acting form (acting)"),
}

FIELD_TYPES_TH = {
    "text": "ข้อความ", "list": "รายการ", "mapping": "ชุดข้อมูลแบบ ชื่อ: ค่า",
    "bool": "ค่า true หรือ false", "int": "จำนวนเต็ม", "date": "วันที่",
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
# where the register lives (docgen/config.py) and what it serves — issue 8
MESSAGES.update({
    "register-unconfigured": ("ยังไม่ได้กำหนดทะเบียนของสำนักงาน ระบบค้นหาที่: {looked} ให้ระบุ --db URL หรือเขียนไฟล์ {name} ที่มีส่วน [register] url = \"sqlite:///…\" หรือใส่ register: ในโปรไฟล์ แล้วสั่ง docgen register init",
                              "no office register is configured; docgen looked at: {looked}. Give --db URL, or write a {name} with [register] url = \"sqlite:///…\", or a register: key in the profile, then run docgen register init"),
    "register-missing": ("ไม่มีทะเบียนที่ '{url}' (กำหนดโดย {source}) ระบบไม่สร้างทะเบียนให้เอง หากเป็นทะเบียนของสำนักงานจริง ให้สั่ง docgen register init --prefix 'รหัสหน่วยงาน' ที่ตำแหน่งนี้ หรือแก้ {source} ให้ชี้ไปยังทะเบียนของสำนักงาน",
                         "there is no register at '{url}' (set by {source}); docgen never creates one by itself. If this is the office's register, run docgen register init --prefix 'PREFIX' for it, or point {source} at the office's register"),
    "config-syntax": ("ไฟล์ตั้งค่า {path} ไม่ถูกต้อง: {detail}", "the configuration file {path} is not valid TOML: {detail}"),
    "config-unreadable": ("อ่านไฟล์ตั้งค่า {path} ไม่ได้: {detail}", "cannot read the configuration file {path}: {detail}"),
    "config-key": ("ไม่รู้จักค่า '{key}' ใน {where} (ใช้ได้: url, schema, timeout)", "unknown key '{key}' in {where} (use url, schema, timeout)"),
    "config-url": ("ที่อยู่ทะเบียนใน {where} ต้องเป็นข้อความ URL (ได้รับ '{value}')", "the register URL in {where} must be a URL text (got '{value}')"),
    "config-schema": ("ชื่อ schema ใน {where} ไม่ถูกต้อง ('{value}'; ใช้ตัวอักษรอังกฤษ ตัวเลข และ _)", "the schema name in {where} is not valid ('{value}'; use letters, digits and _)"),
    "config-timeout": ("ค่า timeout ใน {where} ต้องเป็นจำนวนวินาที 1–3600 (ได้รับ '{value}')", "timeout in {where} must be seconds from 1 to 3600 (got '{value}')"),
    "schema-sqlite": ("SQLite ไม่มี schema ใช้ schema ได้กับ PostgreSQL เท่านั้น", "SQLite has no schemas; a schema can be set for PostgreSQL only"),
    "init-prefix": ("ทะเบียนใหม่ต้องระบุหน่วยงานที่ใช้ทะเบียนนี้: --prefix 'นร 1200' หรือ --profile FILE (หรือ --multi-agency สำหรับทะเบียนกลางของหลายหน่วยงาน)",
                    "a new register must name the agency it serves: --prefix 'นร 1200' or --profile FILE (or --multi-agency for one register shared by several agencies)"),
    "register-other-agency": ("ทะเบียนนี้ ({url}) เป็นของหน่วยงาน '{serves}' ไม่รับหนังสือของ '{prefix}' (ทะเบียนของหลายหน่วยงานต้องสร้างด้วย docgen register init --multi-agency)",
                              "this register ({url}) serves '{serves}' and refuses letters of '{prefix}' (a register shared by agencies is made with docgen register init --multi-agency)"),
    "db-old": ("ทะเบียน '{url}' เป็นรุ่นเก่า (schema {found} < {known}) ให้สั่ง docgen register init เพื่อปรับรุ่นโดยคงข้อมูลเดิม", "the register '{url}' is of an older schema ({found} < {known}); run docgen register init to upgrade it in place"),
    "output-exists": ("มีไฟล์ '{path}' อยู่แล้ว ระบบไม่เขียนทับ (อาจเป็นหนังสือที่ออกจากทะเบียนอื่น) ใช้โฟลเดอร์อื่น (-o) หรือตรวจสอบว่าใช้ทะเบียนของสำนักงานถูกต้อง",
                      "'{path}' already exists and docgen never overwrites it (it may be a letter issued from another register); use another folder (-o) or check that the office's register is the one in use"),
    "output-exists-burned": ("มีไฟล์ '{path}' อยู่แล้ว ระบบไม่เขียนทับ เลข {ref} จึงถูกยกเลิก (ไม่นำมาใช้ซ้ำ)", "'{path}' appeared meanwhile and docgen never overwrites it, so {ref} is cancelled (never reused)"),
    "db-driver": ("ใช้ทะเบียน PostgreSQL ('{url}') ต้องติดตั้งส่วนเสริม: pip install 'docgen[postgres]'", "a PostgreSQL register ('{url}') needs the extra: pip install 'docgen[postgres]'"),
    "output-collision": ("ไฟล์ '{a}' และ '{b}' จะได้ชื่อไฟล์ผลลัพธ์เดียวกัน '{path}' ไม่ได้ทำรายการใด", "'{a}' and '{b}' would write the same output '{path}'; nothing was done"),
    "revise-mismatch": ("แก้ไขเลข {ref} ของ '{prefix}' ชุด {series} ไม่ได้ด้วยหนังสือของ '{got}'", "number {ref} of '{prefix}' series {series} cannot be revised with a letter of '{got}'"),
    "revise-busy": ("หนังสือ {ref} กำลังถูกแก้ไข (ฉบับแก้ไขที่ {revision} โดย {by} เมื่อ {at}) ลองใหม่ภายหลัง", "{ref} is being revised (revision {revision} by {by} at {at}); try again later"),
    "revise-failed": ("จัดทำฉบับแก้ไขของ {ref} ไม่สำเร็จ หนังสือฉบับเดิมยังใช้อยู่: {detail}", "the revision of {ref} failed to render; the previous revision stays in force: {detail}"),
    "revise-lost": ("ฉบับแก้ไขที่ {revision} ของ {ref} ถูกดำเนินการโดยผู้อื่นแล้ว", "revision {revision} of {ref} was finished by someone else"),
    "revise-status": ("แก้ไขหนังสือ {ref} ไม่ได้ เพราะสถานะเป็น {status} (แก้ไขได้เฉพาะหนังสือที่ออกเลขแล้ว)", "{ref} cannot be revised: its status is {status} (only issued letters can be revised)"),
    "revise-sent": ("หนังสือ {ref} ส่งออกไปแล้วเมื่อ {sent} จึงแก้ไขไม่ได้ ให้ยกเลิกเลขนี้ (docgen register cancel) แล้วออกหนังสือฉบับใหม่แทน",
                    "{ref} was sent on {sent} and can no longer be revised; cancel it (docgen register cancel) and issue a new letter in its place"),
    "sent-status": ("บันทึกการส่งหนังสือ {ref} ไม่ได้ เพราะสถานะเป็น {status}", "{ref} cannot be marked as sent: its status is {status}"),
    "already-sent": ("หนังสือ {ref} บันทึกว่าส่งแล้วเมื่อ {sent}", "{ref} is already marked as sent on {sent}"),
    "number-registered-other": ("เลข {ref} ในทะเบียนเป็นหนังสืออีกฉบับ (เรื่อง {subject}; สถานะ {status}) หนังสือที่พิมพ์นี้ไม่ตรงกับที่ลงทะเบียนไว้",
                                "{ref} is a different letter in the register (subject {subject}; status {status}): this printed letter differs from the registered one"),
    "batch-missing": ("ไม่พบชุดหนังสือ (batch) '{batch}' ในทะเบียน", "no batch '{batch}' in the register"),
    "batch-cancelled": ("ชุดหนังสือ '{batch}' ถูกยกเลิกทั้ง {count} เลขไปแล้ว", "every number ({count}) of batch '{batch}' is already cancelled"),
    "revise-one": ("--revise แก้ไขได้ครั้งละหนึ่งไฟล์", "--revise takes exactly one letter file"),
    "cancel-batch-number": ("ระบุได้อย่างใดอย่างหนึ่ง: เลขทะเบียน หรือ --batch", "give either a NUMBER or --batch, not both"),
    "cancel-what": ("ต้องระบุเลขทะเบียนที่จะยกเลิก หรือ --batch ID", "give the NUMBER to cancel, or --batch ID"),
    "sent-date": ("อ่านวันที่ส่ง '{value}' ไม่ได้ ใช้ 2024-05-30 หรือ 30 พฤษภาคม 2567", "cannot read the sent date '{value}'; write 2024-05-30 or 30 พฤษภาคม 2567"),
    "init-other-agency": ("ทะเบียนนี้เป็นของหน่วยงาน '{serves}' อยู่แล้ว เพิ่ม '{prefix}' ได้เฉพาะทะเบียนของหลายหน่วยงาน (--multi-agency)",
                          "this register already serves '{serves}'; '{prefix}' can be added only to a multi-agency register (--multi-agency)"),
})
MESSAGES.update({
    "renderer-missing": ("ยังไม่มีตัวสร้างไฟล์ {fmt} ({detail}) จึงไม่ได้ออกเลข", "no {fmt} renderer is available ({detail}); no number was taken"),
    # batch (docgen/batch)
    "recipients-no-position": ("รายชื่อผู้รับต้องมีคอลัมน์ตำแหน่ง (position/ตำแหน่ง) พบ: {headers}",
                               "the recipient list needs a position column (position/ตำแหน่ง); found: {headers}"),
    "recipient-no-position": ("แถว {row}: ไม่มีตำแหน่งผู้รับ ข้ามแถวนี้", "row {row}: no recipient position; row skipped"),
    "recipient-class": ("แถว {row}: ไม่รู้จักประเภท '{value}' (ใช้ เรียน/กราบเรียน/นมัสการ หรือชื่อประเภทใน data/forms_of_address.yaml)",
                        "row {row}: unknown class '{value}' (use เรียน/กราบเรียน/นมัสการ or a class key of data/forms_of_address.yaml)"),
    "recipients-empty": ("รายชื่อผู้รับว่างเปล่า", "the recipient list is empty"),
    "recipients-format": ("ไม่รองรับรายชื่อผู้รับชนิด {ext} (ใช้ .csv หรือ .xlsx หรือ group:ชื่อกลุ่ม)",
                          "unsupported recipient list {ext} (use .csv, .xlsx or group:NAME)"),
    "circular-placeholders": ("หนังสือเวียนใช้ข้อความเดียวกันทุกฉบับ ใส่ {{{{ recipient.… }}}} ได้เฉพาะใน to (พบใน {field})",
                              "a circular carries one text for all: {{{{ recipient.… }}}} may appear only in to (found in {field})"),
    "group-unknown": ("ไม่รู้จักกลุ่ม '{name}' มี: {groups}", "unknown group '{name}'; available: {groups}"),
})
# forms of address (issue 8): refusals that give the real reason; contradictions are errors
MESSAGES.update({
    "royal-by-hand": ("ระบบไม่จัดทำหนังสือถึง '{to}': หนังสือถึงพระมหากษัตริย์และพระบรมวงศานุวงศ์ต้องจัดทำผ่านสำนักราชเลขาธิการหรือสำนักพระราชวัง และร่างด้วยมือ (ภาคผนวก ๒; regulation.md §5.1)",
                      "docgen does not prepare a letter to '{to}': letters to the King and members of the Royal Family are prepared through สำนักราชเลขาธิการ (Office of the Principal Private Secretary) or สำนักพระราชวัง (Bureau of the Royal Household) and drafted by hand (ภาคผนวก ๒; regulation.md §5.1)"),
    "royal-title-unlisted": ("ระบบไม่จัดทำหนังสือถึง '{to}': คำนำหน้านี้อาจเป็นพระบรมวงศานุวงศ์ ซึ่งต้องจัดทำผ่านสำนักราชเลขาธิการหรือสำนักพระราชวังและร่างด้วยมือ (regulation.md §5.1) และไม่มีในตารางภาคผนวก ๒ ของระบบ หากเป็นสมเด็จพระราชาคณะ ให้เพิ่มราชทินนามใน data/forms_of_address.yaml",
                             "docgen does not prepare a letter to '{to}': the title may be royal, and letters to the Royal Family are prepared through สำนักราชเลขาธิการ or สำนักพระราชวัง and drafted by hand (regulation.md §5.1); it is not in docgen's ภาคผนวก ๒ table. If it is a Somdet-rank monk, add the title to data/forms_of_address.yaml"),
    "salutation-contradicts": ("คำขึ้นต้น '{given}' ไม่ตรงกับภาคผนวก ๒ สำหรับ '{to}' (ต้องเป็น '{expected}') หากตั้งใจใช้คำนี้ ให้ใส่ salutation_override: true",
                               "salutation '{given}' contradicts ภาคผนวก ๒ for '{to}' (it must be '{expected}'); if it is meant, add salutation_override: true"),
    "closing-contradicts": ("คำลงท้าย '{given}' ไม่ตรงกับภาคผนวก ๒ สำหรับ '{to}' (ต้องเป็น '{expected}') หากตั้งใจใช้คำนี้ ให้ใส่ salutation_override: true",
                            "closing '{given}' contradicts ภาคผนวก ๒ for '{to}' (it must be '{expected}'); if it is meant, add salutation_override: true"),
    "to-ends-with-position": ("'{to}' ลงท้ายด้วยตำแหน่ง '{position}' ซึ่งใช้ '{salutation}' แต่ข้อความข้างหน้าไม่ใช่ชื่อบุคคล (คำนำหน้านามหรือยศ เช่น นาย พลเอก ตามด้วยชื่อและสกุล) จึงใช้ '{used}' หากเป็นผู้ดำรงตำแหน่งนั้น ให้เขียนชื่อตำแหน่งอย่างเดียว หรือ 'นายสมมุติ ตัวอย่าง {position}'",
                              "'{to}' ends with the position '{position}', which takes '{salutation}', but what comes before it is not a personal name (a title or rank such as นาย or พลเอก, then a given name and surname), so '{used}' is used; if the recipient holds that position, write the position alone or e.g. 'นายสมมุติ ตัวอย่าง {position}'"),
})
MESSAGES.update({
    # register list/export filters (docgen/register/query.py)
    "filter-date": ("{option}: อ่านวันที่ '{value}' ไม่ได้ ใช้ เช่น ๓๐ พฤษภาคม ๒๕๖๗, 30 พ.ค. 2567, 30/5/2567 หรือ 2024-05-30",
                    "{option}: cannot read the date '{value}'; use e.g. 30 พฤษภาคม 2567, 30 พ.ค. 2567, 30/5/2567 (B.E.) or 2024-05-30"),
    "filter-date-impossible": ("{option}: ไม่มีวันที่ '{value}' ในปฏิทิน", "{option}: '{value}' is not a date that exists"),
    "filter-month": ("{option}: อ่านเดือน '{value}' ไม่ได้ ใช้ ปี พ.ศ.-เดือน เช่น 2569-11 หรือ พฤศจิกายน 2569",
                     "{option}: cannot read the month '{value}'; use B.E. year-month such as 2569-11, or พฤศจิกายน 2569"),
    "filter-range": ("ช่วงวันที่ผิด: --from {start} อยู่หลัง --to {end}", "empty date range: --from {start} is after --to {end}"),
    "filter-status": ("{option}: ไม่รู้จักสถานะ '{value}' ใช้ได้: {allowed}", "{option}: unknown status '{value}'; use one of: {allowed}"),
    "filter-type": ("{option}: ไม่รู้จักประเภทหนังสือ '{value}' ใช้ได้: {allowed}", "{option}: unknown document type '{value}'; use one of: {allowed}"),
    "filter-long": ("{option}: คำค้นยาวเกินไป ({length} ตัวอักษร; ไม่เกิน {limit})",
                    "{option}: search text too long ({length} characters; at most {limit})"),
})
# batch previews, checks against a recipient sheet, batch notices checked alone — issue 8
MESSAGES.update({
    "recipient-placeholder-missing": ("แถว {row}: รายชื่อผู้รับไม่มีคอลัมน์ '{name}' ที่หนังสือใช้เป็น {{{{ recipient.{name} }}}}",
                                      "row {row}: the recipient sheet has no column '{name}' for {{{{ recipient.{name} }}}}"),
    "recipients-missing-columns": ("รายชื่อผู้รับไม่มีคอลัมน์สำหรับช่องแทนค่า: {names}",
                                   "the recipient sheet has no column for the placeholders: {names}"),
    "batch-notice-to": ("ผู้รับ (to) เป็นช่องแทนค่า {{{{ recipient.… }}}} ดูเหมือนเป็นหนังสือสำหรับส่งถึงผู้รับหลายราย (batch) ให้ระบุรายชื่อผู้รับ: docgen check ไฟล์ --to รายชื่อ.csv หรือดูร่างด้วย docgen batch ไฟล์ --to รายชื่อ.csv --dry-run",
                        "to is a {{{{ recipient.… }}}} placeholder: this looks like a batch notice; give its recipient sheet: docgen check FILE --to SHEET (CSV, XLSX or group:NAME), or preview drafts with docgen batch FILE --to SHEET --dry-run"),
    "batch-notice-no-to": ("ไม่ได้ระบุผู้รับ (to) หากเป็นหนังสือสำหรับส่งถึงผู้รับหลายราย (batch) ซึ่งแต่ละฉบับถึงผู้รับตามรายชื่อ ให้ระบุรายชื่อผู้รับ: docgen check ไฟล์ --to รายชื่อ.csv หรือดูร่างด้วย docgen batch ไฟล์ --to รายชื่อ.csv --dry-run หากเป็นหนังสือฉบับเดียว ให้ระบุ to:",
                           "to is missing: if this is a batch notice (each letter addressed to a row of a recipient sheet), give the sheet: docgen check FILE --to SHEET (CSV, XLSX or group:NAME), or preview drafts with docgen batch FILE --to SHEET --dry-run; for a single letter, give to:"),
})


# issue 13 — each block belongs to one part of the hardening work (add entries inside your own)
# 13/limits and text hygiene (model, geometry, digits, compose, docx metadata)
MESSAGES.update({
})
# 13/images and the asset fence (docgen/assets.py)
MESSAGES.update({
})
# 13/atomic renders, time budget, start-up (api, render, executor)
MESSAGES.update({
})
# 13/input files, register URLs, recipient sheets, file names (input, store URL, recipients, output)
MESSAGES.update({
})
