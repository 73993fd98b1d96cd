// Every word the console shows, in Indonesian (the default) and English.
// The choice is remembered in localStorage; it holds no personal data.

const LANG_KEY = "pmihub.console.lang";

const TEXT = {
  title: ["Konsol Darurat PMI Hub", "PMI Hub Emergency Console"],
  skip: ["Langsung ke isi", "Skip to content"],
  language: ["Bahasa", "Language"],
  signIn: ["Masuk", "Sign in"],
  signOut: ["Keluar", "Sign out"],
  signInIntro: [
    "Masuk dengan akun petugas perwakilan RI atau akun pekerja migran.",
    "Sign in with an embassy officer's account or a migrant worker's account.",
  ],
  signInFailed: ["Gagal masuk", "Sign-in failed"],
  signedInAs: ["Masuk sebagai", "Signed in as"],
  selfAccount: ["pekerja (data saya sendiri)", "worker (my own record)"],
  sessionExpired: ["Sesi berakhir; silakan masuk lagi.", "Session ended; please sign in again."],
  loading: ["Memuat…", "Loading…"],
  purpose: ["Tujuan penggunaan data", "Purpose of use"],
  purposeHint: [
    "Setiap akses dicatat bersama tujuannya (UU 27/2022).",
    "Every access is recorded with its purpose (Law 27/2022).",
  ],
  EMERGENCY: ["Penanganan darurat", "Emergency response"],
  CASE_HANDLING: ["Penanganan kasus", "Case handling"],
  CLAIM_PROCESSING: ["Pemrosesan klaim jaminan sosial", "Social security claim processing"],
  PLACEMENT_VERIFICATION: ["Verifikasi penempatan", "Placement verification"],
  searchLabel: [
    "Cari pekerja: nama, paspor, NIK, KPJ atau ID PMI",
    "Find a worker: name, passport, NIK, KPJ or ID PMI",
  ],
  searchButton: ["Cari", "Search"],
  searchHint: [
    "Nama boleh salah ketik. Pilih orang yang tepat dari tanggal lahir, paspor dan tempat kerja.",
    "Names may be misspelt. Tell people apart by birth date, passport and workplace.",
  ],
  moreResults: ["Hasil berikutnya", "More results"],
  passportEnd: ["Paspor …{d}", "Passport …{d}"],
  knownTo: ["Tercatat di", "Known to"],
  matchedOn: ["Cocok karena", "Matched on"],
  sameName: [
    "{n} orang bernama {name}: bedakan dari tanggal lahir, paspor dan tempat kerja.",
    "{n} people named {name}: tell them apart by birth date, passport and workplace.",
  ],
  born: ["Lahir {d}", "Born {d}"],
  mNAME: ["nama cocok", "name matches"],
  mNAME_SIMILAR: ["nama mirip", "similar name"],
  mBIRTH_DATE: ["tanggal lahir", "birth date"],
  mCOUNTRY: ["negara", "country"],
  mNIK: ["NIK", "NIK"],
  mPASSPORT: ["nomor paspor", "passport number"],
  mKPJ: ["nomor KPJ", "KPJ number"],
  mPMI_ID: ["ID PMI", "ID PMI"],
  mRECORD_ID: ["nomor catatan instansi", "an agency's record number"],
  results: ["Hasil pencarian", "Search results"],
  resultCount: ["{n} hasil", "{n} results"],
  noResults: ["Tidak ada pekerja yang cocok.", "No matching worker."],
  searching: ["Mencari…", "Searching…"],
  name: ["Nama", "Name"],
  nik: ["NIK", "NIK"],
  birthDate: ["Tanggal lahir", "Birth date"],
  country: ["Negara", "Country"],
  score: ["Kecocokan", "Match"],
  back: ["Kembali ke pencarian", "Back to search"],
  // the worker page, in its order
  verdict: ["Status pelindungan", "Protection status"],
  level: ["Tingkat", "Level"],
  phase: ["Fase", "Phase"],
  complete: ["Lengkap: semua sumber menjawab", "Complete: every source answered"],
  completeButMissing: [
    "Status ini lengkap (sumber yang dibutuhkannya menjawab), tetapi {agencies} tidak menjawab: datanya tidak tampil di halaman ini.",
    "This status is complete (the sources it needs answered), but {agencies} did not answer: its data is missing from this page.",
  ],
  incomplete: [
    "Tidak lengkap: ada sumber yang tidak menjawab, jangan anggap aman",
    "Incomplete: a source did not answer, do not assume safety",
  ],
  incompleteNamed: [
    "Tidak lengkap: {agencies} tidak menjawab. Jangan anggap pekerja aman.",
    "Incomplete: {agencies} did not answer. Do not assume the worker is safe.",
  ],
  retry: ["Coba lagi", "Try again"],
  updatedLive: ["Halaman diperbarui: {level}", "Page updated: {level}"],
  printPage: ["Cetak", "Print"],
  printedBy: [
    "Dicetak {t} oleh {who}, tujuan: {purpose}. Data pribadi: simpan sesuai UU 27/2022.",
    "Printed {t} by {who}, purpose: {purpose}. Personal data: keep as Law 27/2022 requires.",
  ],
  coveragePeriod: ["Masa kepesertaan", "Coverage period"],
  period: ["Masa kontrak", "Contract period"],
  findings: ["Temuan", "Findings"],
  noFindings: ["Tidak ada temuan.", "No findings."],
  action: ["Tindakan", "Action"],
  // levels have their own keys: EMERGENCY is also a purpose of use
  lvPROTECTED: ["Terlindungi", "Protected"],
  lvAT_RISK: ["Berisiko", "At risk"],
  lvUNPROTECTED: ["Tidak terlindungi", "Unprotected"],
  lvEMERGENCY: ["Darurat", "Emergency"],
  lvUNKNOWN: ["Tidak diketahui", "Unknown"],
  UNKNOWN: ["Tidak diketahui", "Unknown"],
  PRE_PLACEMENT: ["Sebelum bekerja", "Before placement"],
  PLACEMENT: ["Selama bekerja", "During placement"],
  POST_PLACEMENT: ["Setelah bekerja", "After placement"],
  identity: ["Identitas dan keluarga", "Identity and next of kin"],
  fullName: ["Nama lengkap", "Full name"],
  otherNames: ["Ejaan lain", "Other spellings"],
  sex: ["Jenis kelamin", "Sex"],
  FEMALE: ["Perempuan", "Female"],
  MALE: ["Laki-laki", "Male"],
  origin: ["Daerah asal", "Origin"],
  passports: ["Paspor", "Passports"],
  validUntil: ["berlaku sampai", "valid until"],
  phone: ["Telepon", "Phone"],
  nextOfKin: ["Keluarga / kontak darurat", "Next of kin"],
  placement: ["Penempatan", "Placement"],
  placementId: ["Nomor penempatan", "Placement number"],
  occupation: ["Pekerjaan", "Occupation"],
  missionPhone: ["Telepon perwakilan", "Mission's phone"],
  noPlacement: ["Tidak ada penempatan tercatat.", "No placement on record."],
  agency: ["Perusahaan penempatan (P3MI)", "Placement company (P3MI)"],
  license: ["Izin", "Licence"],
  employer: ["Pemberi kerja", "Employer"],
  contract: ["Masa kontrak", "Contract period"],
  endorsed: ["Disahkan perwakilan", "Endorsed by the mission"],
  orientation: ["Orientasi pra-pemberangkatan", "Pre-departure orientation"],
  yes: ["Ya", "Yes"],
  no: ["Tidak", "No"],
  unknownValue: ["tidak diketahui", "unknown"],
  ACTIVE: ["Aktif", "Active"],
  SUSPENDED: ["Dibekukan", "Suspended"],
  REVOKED: ["Dicabut", "Revoked"],
  EXPIRED: ["Kedaluwarsa", "Expired"],
  REGISTERED: ["Terdaftar", "Registered"],
  READY: ["Siap berangkat", "Ready"],
  DEPARTED: ["Berangkat", "Departed"],
  WORKING: ["Bekerja", "Working"],
  RETURNED: ["Pulang", "Returned"],
  CANCELLED: ["Batal", "Cancelled"],
  bpjs: ["BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"],
  coverage: ["Program", "Programme"],
  active: ["aktif", "active"],
  ended: ["berakhir", "ended"],
  claims: ["Klaim", "Claims"],
  noClaims: ["Belum ada klaim.", "No claims yet."],
  familyCanClaim: [
    "Keluarga dapat mengajukan klaim: {programs}",
    "The family can claim: {programs}",
  ],
  familyCannotClaim: [
    "Tidak ada program aktif: keluarga tidak dapat mengklaim melalui BPJS Ketenagakerjaan",
    "No active programme: the family cannot claim through BPJS Ketenagakerjaan",
  ],
  JKK: ["JKK (kecelakaan kerja)", "JKK (work accident)"],
  JKM: ["JKM (kematian)", "JKM (death)"],
  JHT: ["JHT (hari tua)", "JHT (old age savings)"],
  SUBMITTED: ["Diajukan", "Submitted"],
  VERIFIED: ["Diverifikasi", "Verified"],
  PAID: ["Dibayar", "Paid"],
  REJECTED: ["Ditolak", "Rejected"],
  consular: ["Catatan konsuler", "Consular record"],
  reported: ["Lapor diri", "Reported to the mission"],
  notReported: ["Belum lapor diri", "Not reported to the mission"],
  mission: ["Perwakilan", "Mission"],
  address: ["Alamat", "Address"],
  lastContact: ["Kontak terakhir", "Last contact"],
  cases: ["Kasus", "Cases"],
  noCases: ["Belum ada kasus.", "No cases."],
  sources: ["Sumber data", "Sources"],
  sourceAgency: ["Instansi", "Agency"],
  state: ["Keadaan", "State"],
  fetchedAt: ["Diambil", "Fetched"],
  OK: ["Menjawab", "Answered"],
  STALE: ["Data lama (cache)", "Stale (cache)"],
  UNAVAILABLE: ["Tidak tersedia", "Unavailable"],
  DENIED: ["Ditolak", "Denied"],
  NOT_FOUND: ["Tidak ada catatan", "No record"],
  stale: ["data lama", "stale"],
  KEMNAKER: ["Kemnaker", "Kemnaker"],
  P2MI: ["KP2MI", "KP2MI"],
  BPJS_KETENAGAKERJAAN: ["BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"],
  EMBASSY: ["Perwakilan RI (Kemlu)", "Indonesian missions (Kemlu)"],
  // refusals and break-glass
  forbidden: ["Tidak diizinkan untuk peran Anda", "Not permitted for your role"],
  breakGlass: ["Akses darurat (break-glass)", "Emergency access (break-glass)"],
  breakGlassIntro: [
    "Akses darurat membuka seluruh data pekerja ini selama waktu terbatas. Alasan Anda dicatat dan ditinjau.",
    "Emergency access opens this worker's whole record for a limited time. Your reason is recorded and reviewed.",
  ],
  reason: ["Alasan (minimal 20 karakter)", "Reason (at least 20 characters)"],
  openAccess: ["Buka akses", "Open access"],
  cancel: ["Batal", "Cancel"],
  grantOpened: ["Akses darurat dibuka sampai {t}", "Emergency access open until {t}"],
  failed: ["Gagal", "Failed"],
  notFound: ["Pekerja tidak ditemukan.", "Worker not found."],
  // cases
  openCase: ["Buka kasus", "Open a case"],
  kind: ["Jenis", "Kind"],
  severity: ["Tingkat keparahan", "Severity"],
  summary: ["Ringkasan", "Summary"],
  missionCode: ["Perwakilan yang menangani", "Mission handling the case"],
  noMission: ["(belum ditentukan)", "(not decided yet)"],
  duplicateCase: [
    "Sudah ada kasus {kind} yang belum ditutup untuk pekerja ini ({id}, dibuka {t}).",
    "This worker already has an open {kind} case ({id}, opened {t}).",
  ],
  duplicateConfirm: [
    "Ini kejadian lain: tetap buka kasus baru",
    "This is another incident: open a new case anyway",
  ],
  submitCase: ["Buka kasus", "Open case"],
  caseOpened: ["Kasus {id} dibuka", "Case {id} opened"],
  newStatus: ["Status baru", "New status"],
  statusNote: ["Catatan (wajib)", "Note (required)"],
  changeStatus: ["Ubah status", "Change status"],
  caseUpdated: ["Kasus {id} kini {status}", "Case {id} is now {status}"],
  DETENTION: ["Penahanan", "Detention"],
  DEATH: ["Meninggal dunia", "Death"],
  ILLNESS: ["Sakit", "Illness"],
  ACCIDENT: ["Kecelakaan", "Accident"],
  ABUSE: ["Kekerasan", "Abuse"],
  WAGE_DISPUTE: ["Sengketa upah", "Wage dispute"],
  TRAFFICKING: ["Perdagangan orang", "Trafficking"],
  UNDOCUMENTED: ["Tidak berdokumen", "Undocumented"],
  REPATRIATION: ["Pemulangan", "Repatriation"],
  MISSING: ["Hilang", "Missing"],
  OTHER: ["Lainnya", "Other"],
  INFO: ["Informasi", "Information"],
  LOW: ["Rendah", "Low"],
  MEDIUM: ["Sedang", "Medium"],
  HIGH: ["Tinggi", "High"],
  CRITICAL: ["Kritis", "Critical"],
  OPEN: ["Terbuka", "Open"],
  IN_PROGRESS: ["Sedang ditangani", "In progress"],
  CLOSED: ["Ditutup", "Closed"],
  liveCases: ["Kasus terbaru (langsung)", "Latest cases (live)"],
  liveJump: ["Kasus langsung", "Live cases"],
  changePurpose: ["Ubah", "Change"],
  usePurpose: ["Pakai tujuan ini", "Use this purpose"],
  liveOn: ["Pembaruan langsung aktif", "Live updates on"],
  liveOff: ["Pembaruan langsung terputus; menyambung lagi…", "Live updates lost; reconnecting…"],
  liveNone: ["Belum ada kejadian kasus sejak Anda masuk.", "No case events since you signed in."],
  caseEvent: ["Kasus {kind} ({severity}): {summary}", "Case {kind} ({severity}): {summary}"],
  // the worker's own page
  myStatus: ["Status pelindungan saya", "My protection status"],
  whoLooked: ["Siapa yang melihat data saya", "Who looked at my data"],
  when: ["Waktu", "When"],
  who: ["Siapa", "Who"],
  why: ["Tujuan", "Why"],
  what: ["Data", "What"],
  emergencyAccess: ["akses darurat", "emergency access"],
  noAccess: ["Belum ada yang melihat data Anda.", "No one has looked at your data yet."],
  plainPROTECTED: [
    "Anda terlindungi menurut data yang ada di instansi.",
    "You are protected according to the agencies' records.",
  ],
  plainAT_RISK: [
    "Ada hal yang perlu diurus agar Anda tetap terlindungi.",
    "Some things need attention to keep you protected.",
  ],
  plainUNPROTECTED: [
    "Anda belum terlindungi. Lihat langkah di bawah ini.",
    "You are not protected yet. See the steps below.",
  ],
  plainEMERGENCY: [
    "Petugas KP2MI atau perwakilan RI sedang menangani kasus Anda. Lihat langkah di bawah ini.",
    "An officer of KP2MI or an Indonesian mission is handling your case. See the steps below.",
  ],
  plainUNKNOWN: [
    "Status Anda belum dapat dipastikan karena ada data yang belum terbaca.",
    "Your status cannot be determined yet: some records could not be read.",
  ],
  whatToDo: ["Yang perlu Anda lakukan", "What you should do"],
  nothingToDo: ["Tidak ada yang perlu Anda lakukan sekarang.", "Nothing for you to do now."],
  notAllRead: [
    "Sebagian data Anda belum dapat dibaca; status ini bisa berubah.",
    "Some of your records could not be read yet; this status may change.",
  ],
  whoToCall: ["Nomor yang dapat dihubungi", "Numbers to call"],
  bpjsHotline: ["BPJS Ketenagakerjaan (pusat layanan, dari Indonesia)", "BPJS Ketenagakerjaan (call centre, from Indonesia)"],
  missionLine: ["{name}, {city}", "{name}, {city}"],
  peduliWni: ["Portal Peduli WNI (Kemlu), untuk semua perwakilan", "Peduli WNI portal (Kemlu), for every mission"],
  you: ["Anda sendiri", "You"],
  nikCat: ["NIK", "NIK"],
  otherCat: ["data lain", "other data"],
  identityCat: ["identitas", "identity"],
  contactCat: ["kontak", "contacts"],
  placementCat: ["penempatan", "placement"],
  social_securityCat: ["BPJS", "BPJS"],
  consularCat: ["konsuler", "consular"],
  caseCat: ["kasus", "cases"],
  protectionCat: ["status pelindungan", "protection status"],
  SELF_SERVICE: ["Layanan mandiri pekerja", "Worker self-service"],
  // consents to partner organisations (the worker's page and the case worker's)
  CASE_ASSISTANCE: ["Pendampingan kasus", "Case assistance"],
  CLAIM_ASSISTANCE: ["Pendampingan klaim BPJS", "Claim assistance"],
  LEGAL_AID: ["Bantuan hukum", "Legal aid"],
  REPATRIATION_SUPPORT: ["Dukungan pemulangan", "Repatriation support"],
  REINTEGRATION: ["Reintegrasi", "Reintegration"],
  consentsTitle: ["Persetujuan untuk organisasi pendamping", "Consents to partner organisations"],
  consentsIntro: [
    "Serikat atau LSM hanya dapat melihat data yang Anda izinkan, selama izin berlaku. Ini bukan syarat pekerjaan.",
    "A union or NGO sees only what you allow, while your consent is in force. This is not a job requirement.",
  ],
  noConsents: ["Anda belum memberi persetujuan.", "You have not given any consent."],
  organisation: ["Organisasi", "Organisation"],
  organisationHint: ["Kode dari organisasi, misalnya SBMI", "The organisation's code, e.g. SBMI"],
  consentPurpose: ["Untuk apa", "What for"],
  categories: ["Data yang boleh dilihat", "Data it may see"],
  includeNextOfKin: ["Termasuk data keluarga/kontak darurat", "Include my next of kin"],
  days: ["Berlaku (hari, paling lama 90)", "Valid for (days, at most 90)"],
  status: ["Status", "Status"],
  showText: ["Baca teks persetujuan", "Read the consent text"],
  agree: ["Saya setuju", "I agree"],
  consentGiven: ["Persetujuan diberikan", "Consent given"],
  revoke: ["Cabut", "Revoke"],
  revoked: ["Persetujuan dicabut; akses berhenti seketika.", "Consent revoked; access stops at once."],
  receipt: ["Tanda terima", "Receipt"],
  printReceipt: ["Cetak", "Print"],
  textHash: ["Sidik teks", "Text hash"],
  consentRead: ["atas persetujuan {id}", "under consent {id}"],
  // the case worker's page
  caseWorkerTitle: ["Pekerja yang Anda dampingi", "Workers you accompany"],
  caseWorkerIntro: [
    "Hanya pekerja yang memberi persetujuan kepada organisasi Anda, untuk tujuan yang dipilih.",
    "Only workers who consented to your organisation, for the purpose chosen.",
  ],
  noConsented: ["Belum ada persetujuan untuk tujuan ini.", "No consent for this purpose yet."],
  open: ["Buka", "Open"],
  consentedWorker: ["Data pekerja (atas persetujuan)", "The worker's data (with consent)"],
  notConsented: ["Tidak dibuka oleh persetujuan", "Not opened by the consent"],
  referCase: ["Rujuk kasus ke perwakilan RI", "Refer a case to the mission"],
  caseKind: ["Jenis kasus", "Kind of case"],
  referred: ["Kasus dirujuk: {id}", "Case referred: {id}"],
  accompaniedBy: ["Didampingi", "Accompanied by"],
  backToList: ["Kembali ke daftar", "Back to the list"],
  originRegency: ["Kabupaten asal", "Regency of origin"],
  // the crisis page (crisis.js, marks.js, alerts.js)
  pages: ["Halaman", "Pages"],
  searchPage: ["Cari pekerja", "Find a worker"],
  crisis: ["Krisis", "Crisis"],
  crisisPurpose: [
    "Halaman krisis hanya untuk tujuan penanganan darurat atau penanganan kasus. Ubah tujuan penggunaan data di atas bila tugas Anda memang itu.",
    "The crisis page is for emergency response or case handling only. Change the purpose of use above if that is your task.",
  ],
  crisisIntro: [
    "Pilih wilayah: perwakilan, negara, atau kota/daerah pemberi kerja. Setiap daftar dicatat bersama tujuannya.",
    "Choose the area: mission, country, or the employer's city or region. Every list is recorded with its purpose.",
  ],
  crisisMission: ["Perwakilan RI", "Mission"],
  anyMission: ["Semua perwakilan", "Any mission"],
  anyCountry: ["Semua negara", "Any country"],
  anyPhase: ["Semua fase", "Any phase"],
  crisisCity: ["Kota atau daerah", "City or region"],
  crisisLevels: ["Tingkat pelindungan (boleh kosong)", "Protection level (optional)"],
  crisisDays: ["Kontak terakhir lebih dari (hari)", "Last contact older than (days)"],
  crisisDaysHint: ["Kosongkan bila tidak perlu.", "Leave empty if not needed."],
  crisisShow: ["Tampilkan", "Show"],
  crisisFound: ["{n} orang di wilayah ini", "{n} people in this area"],
  crisisCounts: ["{n} orang menurut tingkat", "{n} people by level"],
  crisisShown: ["Tampil {n} dari {total}, paling mendesak dulu", "Showing {n} of {total}, most urgent first"],
  crisisList: ["Daftar orang, paling mendesak dulu", "People, most urgent first"],
  crisisExport: ["Unduh daftar (CSV)", "Download the list (CSV)"],
  never: ["belum pernah", "never"],
  unnamed: ["(nama tidak dapat dibaca)", "(name not readable)"],
  markNone: ["Belum dihubungi", "Not called yet"],
  markREACHED: ["Berhasil dihubungi", "Reached"],
  markNOT_REACHED: ["Tidak berhasil dihubungi", "Not reached"],
  setREACHED: ["Terhubung", "Reached"],
  setNOT_REACHED: ["Tidak terhubung", "Not reached"],
  marked: ["{name}: {mark}", "{name}: {mark}"],
  alerts: ["Peringatan pelindungan", "Protection alerts"],
  alertsJump: ["Peringatan", "Alerts"],
  alertsNone: ["Belum ada peringatan.", "No alerts yet."],
  alertRaised: ["Peringatan baru: {level}", "New alert: {level}"],
  alertWorker: ["Buka data pekerja", "Open the worker"],
  alertNote: ["Catatan tindak lanjut", "Follow-up note"],
  acknowledge: ["Tandai ditindaklanjuti", "Acknowledge"],
  alertAcknowledged: ["Ditindaklanjuti {t}", "Acknowledged {t}"],
  // the statistics page (statistics.js)
  statistics: ["Statistik", "Statistics"],
  statsIntro: [
    "Cakupan jaminan sosial pekerja migran dari rilis statistik terbaru: hanya angka agregat setelah kontrol pengungkapan, tanpa data per orang.",
    "Social security coverage of migrant workers from the latest statistics release: aggregate counts after disclosure control only, no per-person data.",
  ],
  statsLoaded: ["Statistik dimuat.", "Statistics loaded."],
  statsFailed: ["Statistik tidak dapat dimuat", "The statistics could not be loaded"],
  statsNone: ["Belum ada rilis statistik.", "No statistics release yet."],
  statsAll: ["Semua", "All"],
  statsSuppressed: ["disembunyikan", "suppressed"],
  statsNoRate: ["tidak diterbitkan (< 50)", "not published (< 50)"],
  statsSeeTable: ["angka di tabel berikut", "numbers in the table below"],
  statsRelease: ["Rilis", "Release"],
  statsReferenceDate: ["Tanggal acuan", "Reference date"],
  statsRules: ["Versi aturan", "Rules version"],
  statsDisclosure: ["Aturan pengungkapan", "Disclosure rule"],
  statsFreshness: ["Kesegaran data per lembaga", "Freshness of each agency's data"],
  statsAgency: ["Lembaga", "Agency"],
  statsNewest: ["Data terbaru", "Newest data"],
  statsAnswered: ["Dijawab", "Answered"],
  statsUnavailable: ["Tidak tersedia", "Unavailable"],
  statsDim_country: ["Negara tujuan", "Destination country"],
  statsDim_province: ["Provinsi asal", "Province of origin"],
  statsEnrolled: ["Terdaftar (JKK dan JKM)", "Enrolled (JKK and JKM)"],
  statsOf: ["Dari jumlah", "Out of"],
  statsRate: ["Persentase", "Rate"],
  statsCount: ["Jumlah", "Count"],
  statsGap: ["Kesenjangan", "Gap"],
  statsCoverageBy_country: [
    "Kepesertaan JKK dan JKM aktif menurut negara tujuan", "Enrolment (JKK and JKM in force) by destination country",
  ],
  statsCoverageBy_province: [
    "Kepesertaan JKK dan JKM aktif menurut provinsi asal", "Enrolment (JKK and JKM in force) by province of origin",
  ],
  statsTrend: ["Kesenjangan per rilis (semua negara)", "Gaps release by release (all countries)"],
  statsGaps: ["Kesenjangan perlindungan (semua negara)", "Protection gaps (all countries)"],
  statsGap_placed_not_enrolled_by_country: [
    "Ditempatkan, tidak terdaftar BPJS Ketenagakerjaan", "Placed, not enrolled in BPJS Ketenagakerjaan",
  ],
  statsGap_cover_lapsed_abroad_by_country: [
    "Perlindungan berakhir saat di luar negeri", "Cover lapsed while abroad",
  ],
  statsGap_abroad_not_in_siskop2mi_by_country: [
    "Bekerja di luar negeri, tidak tercatat di SISKOP2MI", "Working abroad, not in SISKOP2MI",
  ],
  stats_UNKNOWN: ["tidak diketahui", "unknown"],
  stats_REGION_EAST_ASIA: ["Wilayah Asia Timur", "East Asia region"],
  stats_REGION_SOUTHEAST_ASIA: ["Wilayah Asia Tenggara", "Southeast Asia region"],
  stats_REGION_MIDDLE_EAST: ["Wilayah Timur Tengah", "Middle East region"],
  stats_REGION_EUROPE: ["Wilayah Eropa", "Europe region"],
  stats_REGION_OTHER: ["Wilayah lain", "Other regions"],
};

let current = localStorage.getItem(LANG_KEY) === "EN" ? "EN" : "ID";

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === "EN" ? "EN" : "ID";
  localStorage.setItem(LANG_KEY, current);
  document.documentElement.lang = current === "EN" ? "en" : "id";
}

/** The text for ``key`` in the chosen language, with ``{name}`` placeholders filled. */
export function t(key, values = {}) {
  const pair = TEXT[key];
  let text = pair ? pair[current === "EN" ? 1 : 0] : key;
  for (const [name, value] of Object.entries(values)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

/** A country's name from its ISO code, in the chosen language (the code if unknown). */
export function countryName(code) {
  if (!code) return "";
  try {
    const names = new Intl.DisplayNames([current === "EN" ? "en" : "id"], { type: "region" });
    return names.of(code) || code;
  } catch {
    return code;
  }
}

/** The text for ``key``, or ``fallback`` when there is none (never a raw key on screen). */
export function tOr(key, fallback) {
  return key in TEXT ? t(key) : fallback;
}

/** A date or timestamp for people, in the chosen language. */
export function formatDate(value, withTime = false) {
  if (!value) return t("unknownValue");
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  if (Number.isNaN(date.getTime())) return value;
  const options = withTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { dateStyle: "medium" };
  return new Intl.DateTimeFormat(current === "EN" ? "en-GB" : "id-ID", options).format(date);
}

setLang(current);
