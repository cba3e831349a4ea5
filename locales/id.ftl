# Waspada — Bahasa Indonesia (bahasa utama).
# Kalimat pendek, satu pertanyaan per pesan. Label tombol: paling banyak 20 huruf untuk ya/tidak
# dan 24 huruf untuk pilihan lain (batas WhatsApp). Nomor telepon TIDAK ditulis di sini: semua
# nomor ada di flows/contacts.yaml.

language-name = Bahasa Indonesia

## Percakapan umum

welcome =
    Halo, ini Waspada. 👋
    Saya membantu mengecek tawaran kerja ke luar negeri: apakah ada tanda bahaya perdagangan orang, dan bagaimana cara yang aman.
    Saya bukan kantor pemerintah. Saya tidak akan mengirim pesan lebih dulu.
    Hati-hati: orang lain yang memegang HP Anda bisa membaca chat ini. Ketik "hapus" kapan saja untuk menghapus data Anda.
    Butuh bantuan segera? Ketik "tolong".
menu-ask = Apa yang ingin Anda lakukan? Pilih satu.
menu-check = Cek tawaran kerja
menu-report = Laporkan agen/calo
menu-abroad = Sudah di luar negeri
menu-person = Bicara dengan petugas
menu-language = Ganti bahasa/Language
help =
    Perintah yang bisa Anda ketik kapan saja:
    • menu — kembali ke menu utama
    • bahasa — ganti bahasa (Indonesia/English)
    • berhenti — hentikan percakapan
    • hapus — hapus semua data Anda
    • tolong — nomor darurat
    Untuk menjawab, tekan tombol atau ketik nomor pilihannya.
stopped = Baik, percakapan dihentikan. Saya tidak akan mengirim pesan lagi. Ketik "menu" kalau ingin mulai lagi.
expired = Pengecekan Anda sebelumnya sudah lewat waktunya, jadi jawaban lama sudah dibuang. Silakan mulai lagi dari menu.
error-generic = Maaf, ada yang salah di pihak kami. Silakan pilih dari menu.
language-ask = Pilih bahasa / Choose a language:
language-set = Baik, saya akan memakai Bahasa Indonesia.
answer-yes = Ya
answer-no = Tidak
answer-unknown = Tidak tahu
not-understood-choice = Maaf, saya belum mengerti. Tekan salah satu tombol, atau ketik nomornya (1, 2, 3…).
not-understood-yesno = Maaf, saya belum mengerti. Jawab "ya" atau "tidak", atau tekan tombol.
choices-button = Pilih
button-closed = Pertanyaan itu sudah lewat. Ini pertanyaan yang sekarang:
late-reply = Maaf, pesan Anda baru sampai ke kami sekarang. Ini pertanyaan yang sekarang:
# Batas pesan per orang: lebih dari 30 pesan dalam satu menit. Pesan berikutnya tidak dibaca
# sampai jeda selesai, kecuali kata darurat, "hapus" dan "berhenti".
slow-down =
    Pesan Anda datang sangat cepat, jadi saya berhenti membalas sebentar. Pesan yang Anda kirim selama jeda ini tidak saya baca.
    Silakan tulis lagi setelah { $minutes } menit.
    Dalam bahaya? Ketik "tolong": itu tetap saya jawab, juga sekarang. "hapus" juga tetap bisa dipakai.
rescue = Sepertinya kita belum nyambung. Mau coba lagi, kembali ke menu, atau bicara dengan petugas?
rescue-retry = Coba lagi
rescue-menu = Menu utama
rescue-person = Bicara ke petugas
media-reply = { $kind ->
    [edited] Maaf, pesan yang diedit tidak saya baca ulang.
    [audio] Maaf, saya belum bisa mendengar pesan suara.
    [image] Maaf, saya belum bisa membaca gambar.
    [location] Terima kasih. Saya tidak menyimpan lokasi.
   *[other] Maaf, saya hanya bisa membaca pesan teks.
} Silakan ketik jawaban Anda, atau tekan tombol.

## Hapus data

erase-confirm = { $channel ->
    [telegram] Hapus semua data Anda di Waspada dan pesan-pesan chat ini sejauh yang bisa dihapus?
   *[other] Hapus semua data Anda di Waspada?
} Ini tidak bisa dibatalkan.
erase-done = { $channel ->
    [telegram] Data Anda sudah dihapus. Pesan yang lebih dari 48 jam tidak bisa dihapus oleh bot: hapus sendiri chat ini jika perlu.
    [whatsapp] Data Anda di Waspada sudah dihapus. WhatsApp tidak mengizinkan bot menghapus pesan di HP Anda: hapus sendiri chat ini (tekan lama chat → Hapus).
   *[other] Data Anda di Waspada sudah dihapus. Tutup halaman ini agar percakapan tidak terlihat lagi.
}
erase-telegram-summary = Selesai. { $deleted } pesan di chat ini sudah dihapus.{ $kept ->
    [0] {""}
   *[other] {" "}{ $kept } pesan lebih lama dari 48 jam tidak bisa dihapus oleh bot.
} Pesan lama mungkin masih ada: agar aman, hapus sendiri seluruh chat ini (tekan lama chat → Hapus).
erase-cancelled = Baik, tidak ada yang dihapus.

## Darurat

emergency-intro = 🚨 Jika Anda atau orang lain dalam bahaya sekarang, segera hubungi salah satu nomor di bawah ini. Di Indonesia, hubungi polisi.
emergency-numbers = Nomor darurat:

## Bicara dengan petugas

person-requested = Petugas hotline bisa bicara dengan Anda di sini, di chat ini.
person-numbers = Nomor yang bisa Anda hubungi:

## Lapor agen

report-intro = Terima kasih mau melapor. Laporan Anda sampai ke petugas hotline dan bisa memperingatkan orang berikutnya yang bertemu perekrut yang sama. Setiap pertanyaan boleh dijawab "tidak tahu".
report-danger = Pertama: apakah ada yang dalam bahaya sekarang (dikurung, diancam, disakiti, atau tidak bisa pergi)?
report-danger-unknown = Jika Anda hilang kontak atau khawatir, jangan menunggu laporan ini selesai: nomor-nomor ini bisa membantu sekarang, 24 jam jika ditandai.
report-recruiter-name = Siapa nama perekrut, agen, atau calonya? (Ketik "tidak tahu" jika tidak tahu.)
report-recruiter-company = Nama perusahaan atau LPK-nya, jika ada?
report-recruiter-phone = Nomor HP atau WhatsApp-nya?
report-recruiter-social = Akun media sosialnya (Facebook, Instagram, TikTok…)?
report-recruiter-place = Dari desa atau kota mana, atau di mana Anda bertemu dia?
report-answer-error = Mohon tulis jawaban singkat, atau "tidak tahu".
report-relation = Siapa yang direkrut? (Hubungannya dengan Anda, bukan nama.)
report-relation-child = Anak saya
report-relation-spouse = Suami/istri saya
report-relation-sibling = Kakak/adik saya
report-relation-parent = Orang tua saya
report-relation-self = Saya sendiri
report-relation-other = Orang lain
report-relation-unknown = Tidak mau menyebut
report-destination = Ke negara atau kota mana?
report-job = Untuk pekerjaan apa?
report-happened = Apa yang terjadi? Pilih yang paling cocok; Anda bisa bercerita lebih lanjut sesudahnya.
report-happened-documents = Paspor/KTP ditahan
report-happened-fee = Harus bayar biaya/utang
report-happened-contract = Tanpa kontrak/diganti
report-happened-visa = Visa turis/umrah
report-happened-rushed = Terburu-buru
report-happened-route = Lewat jalur tidak resmi
report-happened-scam = Kerja "online"/penipuan
report-happened-unlicensed = Calo/agen tanpa izin
report-happened-unknown = Tidak tahu
report-happened-other = Hal lain
report-happened-text = Ceritakan dengan kata-kata Anda apa yang terjadi (atau "tidak tahu").
report-contact-allowed = Bolehkah petugas hotline menghubungi Anda tentang laporan ini?
report-contact-how = Di nomor HP atau WhatsApp berapa mereka bisa menghubungi Anda? (Petugas melihatnya bersama laporan Anda; ketik "tidak tahu" untuk tidak mengisinya.)
report-keep = Laporan Anda akan disimpan oleh hotline untuk memperingatkan orang berikutnya yang menyebut perekrut yang sama, dan bisa diteruskan ke pihak berwenang. Peringatan itu tidak pernah menyebut siapa yang melapor atau apa yang Anda tulis. Apakah Anda setuju laporan ini disimpan?
report-not-kept = Baik, laporan Anda tidak disimpan. Anda tetap bisa melapor langsung:
report-filed = Nomor laporan Anda { $id }. Simpan nomor ini: hotline dan pihak berwenang bisa menemukan laporan Anda dengannya.
report-numbers = Tempat melapor:
report-want-person = Petugas hotline bisa bicara dengan Anda tentang laporan ini, di chat ini.
report-done = Simpan bukti yang Anda punya: nama agen, nomor HP, tangkapan layar chat, dan bukti pembayaran.

## Sudah di luar negeri

abroad-safe-now = Apakah Anda (atau keluarga Anda) aman sekarang?
abroad-danger = Anda tidak sendirian. Hubungi nomor di bawah ini sekarang. Jika bisa, simpan foto paspor dan kontrak Anda.
abroad-numbers = Hubungi:
abroad-handoff = Petugas hotline bisa membantu Anda dari sini, di chat ini.
abroad-situation = Apa yang terjadi? Pilih yang paling dekat.
abroad-opt-violence = Kekerasan atau ancaman
abroad-opt-cannot-leave = Tidak boleh keluar
abroad-opt-passport = Paspor ditahan
abroad-opt-unpaid = Gaji tidak dibayar
abroad-opt-debt = Dipaksa bayar utang
abroad-opt-other = Masalah lain
abroad-high = Ini tanda kerja paksa. Anda berhak mendapat bantuan. Hubungi KBRI/KJRI (kedutaan) atau KP2MI sekarang.
abroad-other = Petugas KBRI/KJRI dan KP2MI bisa membantu masalah kerja di luar negeri.

## Cek tawaran kerja

check-intro = Saya akan bertanya sekitar 12 pertanyaan singkat. Jawab dengan tombol, atau ketik. Kalau tidak tahu, pilih "Tidak tahu" — itu juga membantu.
check-destination = Pekerjaan itu di negara mana? Pilihan "Kamboja/Myanmar/Laos/dll" juga untuk Thailand, Filipina, dan Vietnam.
check-destination-malaysia = Malaysia/Singapura
check-destination-saudi = Arab Saudi
check-destination-middle-east = Timur Tengah lainnya
check-destination-mekong = Kamboja/Myanmar/Laos/dll
check-destination-east-asia = Taiwan/HK/Korea/Jepang
check-destination-other = Negara lain
check-destination-unknown = Tidak tahu
check-job = Pekerjaannya apa?
check-job-domestic = Rumah tangga/pengasuh
check-job-online-office = Admin/CS/online/kripto
check-job-fishing = Kapal/nelayan (ABK)
check-job-plantation = Perkebunan
check-job-factory = Pabrik/bangunan
check-job-hospitality = Hotel/restoran/toko
check-job-other = Lainnya
check-me-channel = Majikannya siapa? Keluarga (rumah pribadi), atau perusahaan Arab Saudi (syarikah) lewat program resmi SPSK?
check-me-channel-household = Majikan perorangan
check-me-channel-spsk = Lewat program SPSK
check-me-channel-unknown = Tidak tahu
check-fishing-terms = Apakah disebut "magang", dikenalkan lewat teman, dijanjikan kerja di darat, negaranya tidak jelas, atau Anda harus berutang dulu?
check-recruiter = Siapa yang menawarkan pekerjaan ini?
check-recruiter-licensed = Perusahaan, sudah dicek
check-recruiter-company = Perusahaan, belum dicek
check-recruiter-individual = Perorangan/sponsor/calo
check-recruiter-lpk = LPK/tempat pelatihan
check-recruiter-online = Kenal di medsos/WA saja
check-recruiter-unknown = Tidak tahu
check-visa = Anda akan berangkat dengan visa apa?
check-visa-work = Visa kerja
check-visa-visit = Visa turis/kunjungan
check-visa-umrah = Visa umrah/ziarah
check-visa-none = Tanpa visa/diurus nanti
check-visa-unknown = Tidak tahu
check-contract = Apakah Anda sudah membaca dan menandatangani perjanjian kerja dalam bahasa Indonesia?
check-contract-signed = Ya, sudah
check-contract-foreign = Hanya bahasa asing
check-contract-later = Katanya nanti/di sana
check-contract-none = Tidak ada kontrak
check-contract-unknown = Tidak tahu
check-fee = Apakah Anda diminta membayar?
check-fee-none = Tidak ada biaya
check-fee-written = Biaya resmi tertulis
check-fee-upfront = Ya, biaya besar di muka
check-fee-loan = Pinjaman/potong gaji
check-fee-personal = Ke rekening pribadi
check-fee-unknown = Tidak tahu
check-documents = Apakah paspor atau KTP Anda dipegang agen, penampungan, atau majikan?
check-speed = Apakah prosesnya sangat cepat? Misalnya "berangkat cepat", paspor jadi dalam beberapa hari, atau disuruh menunggu di penampungan sambil "mengurus surat".
check-steps = Apakah sudah (atau sudah dijadwalkan): cek kesehatan, pelatihan sebelum berangkat (OPP), daftar sidik jari di BP3MI, dan BPJS Ketenagakerjaan?
check-steps-all = Ya, semuanya
check-steps-some = Sebagian saja
check-steps-none = Belum ada
check-steps-unknown = Tidak tahu
check-falsified = Apakah umur atau nama Anda diubah di dokumen, atau umur Anda di bawah 18 tahun?
check-secrecy = Apakah ada yang mengatakan salah satu hal ini?
check-secrecy-secret = Rahasiakan/semua gratis
check-secrecy-route = Jalur tidak resmi
check-secrecy-both = Keduanya
check-secrecy-none = Tidak ada

## Hasil

result-level-high =
    🔴 Risiko TINGGI. Tawaran ini punya { $count ->
        [one] tanda bahaya
       *[other] { $count } tanda bahaya
    } perdagangan orang. Jangan berangkat dan jangan membayar sebelum bicara dengan petugas.
result-level-medium =
    🟠 Risiko SEDANG. Ada hal yang perlu dicek dulu sebelum Anda berangkat atau membayar.
result-level-low =
    🟢 Risiko RENDAH menurut jawaban Anda. Tetapi ini bukan jaminan aman: tetap cek perusahaan di SISKOP2MI atau Disnaker, dan jangan serahkan paspor Anda.
result-sign = { $severity ->
        [critical] 🔴
        [major] 🟠
       *[minor] 🟡
    } { $title }
    Kenapa berbahaya: { $why }
    Cara yang aman: { $safe }
result-open-intro = Yang perlu Anda cari tahu sebelum berangkat:
result-open-item = • { $text }
result-numbers = Jika ragu, tanyakan ke:
result-offer-person = Petugas hotline bisa membantu Anda soal tawaran ini. Mereka akan membalas di sini, di chat ini.
result-declined = Baik. Anda bisa kembali kapan saja. Ketik "menu" atau "tolong" jika butuh bantuan.

## Tanda bahaya

sign-visa-not-work-title = Bukan visa kerja
sign-visa-not-work-why = Bekerja dengan visa turis, kunjungan, umrah/ziarah, atau tanpa visa itu melanggar aturan. Anda mudah ditangkap, ditipu, dan sulit minta perlindungan.
sign-visa-not-work-safe = Berangkat hanya dengan visa kerja yang sudah jadi sebelum berangkat.
sign-no-contract-title = Tidak ada perjanjian kerja yang jelas
sign-no-contract-why = Tanpa perjanjian tertulis dalam bahasa Indonesia, gaji, jam kerja, cuti, dan asuransi bisa diubah sesuka mereka. Kontrak juga bisa ditukar di perjalanan.
sign-no-contract-safe = Minta perjanjian kerja dan perjanjian penempatan dalam bahasa Indonesia, baca, dan tanda tangani sebelum berangkat.
sign-unlicensed-recruiter-title = Perekrut tidak resmi
sign-unlicensed-recruiter-why = Calo perorangan dan LPK tidak berhak menempatkan pekerja ke luar negeri. Hanya perusahaan penempatan yang punya izin SIP3MI.
sign-unlicensed-recruiter-safe = Cek perusahaan di SISKOP2MI, Disnaker, LTSA, atau kantor BP3MI di provinsi Anda.
sign-domestic-me-title = Kerja rumah tangga di Timur Tengah di luar jalur resmi
sign-domestic-me-why = Penempatan pekerja rumah tangga ke majikan perorangan di Timur Tengah dihentikan sejak 1 Juli 2015. Untuk Arab Saudi hanya ada program percontohan SPSK lewat perusahaan (syarikah), tanpa biaya untuk pekerja.
sign-domestic-me-safe = Hanya lewat program SPSK, dan pastikan dulu di Disnaker: aturan ini bisa saja sudah berubah.
sign-scam-hub-title = Tawaran kerja "online" di Asia Tenggara
sign-scam-hub-why = Banyak orang Indonesia ditipu dengan tawaran admin, CS, atau kripto bergaji tinggi di Kamboja, Myanmar, dan negara sekitarnya, lalu dipaksa menipu orang lain.
sign-scam-hub-safe = Jangan berangkat. Laporkan tawaran ini ke KP2MI atau Kemlu.
sign-documents-held-title = Paspor atau KTP ditahan
sign-documents-held-why = Menahan dokumen adalah cara umum untuk mengendalikan pekerja dan tanda kerja paksa.
sign-documents-held-safe = Simpan sendiri paspor dan KTP Anda, simpan fotokopinya, dan laporkan jika ditahan.
sign-placement-fee-title = Biaya atau utang untuk berangkat
sign-placement-fee-why = Menurut Peraturan BP2MI 9/2020, biaya penempatan tidak boleh ditagih ke pekerja rumah tangga, pengasuh, pekerja perkebunan, dan awak kapal. Utang yang dibayar dari gaji bisa menjerat Anda.
sign-placement-fee-safe = Minta rincian semua biaya secara tertulis, jangan transfer ke rekening pribadi, dan tanyakan ke BP3MI biaya mana yang boleh ditagih (aturannya bisa berubah).
sign-falsified-title = Dokumen diubah atau usia di bawah 18
sign-falsified-why = Mengubah umur atau nama di dokumen itu pemalsuan. Anak di bawah 18 tahun tidak boleh ditempatkan sebagai pekerja migran.
sign-falsified-safe = Jangan pernah menerima dokumen yang diubah.
sign-irregular-route-title = Jalur tidak resmi
sign-irregular-route-why = Dijemput calo di bandara, dibawa ke rumah terpencil, atau menyeberang lewat jalur tidak resmi adalah pola perdagangan orang.
sign-irregular-route-safe = Jangan ikut. Hubungi polisi atau KP2MI (nomornya di bawah).
sign-rushed-title = Proses terlalu cepat
sign-rushed-why = Agen resmi menyelesaikan dokumen dulu. "Berangkat cepat" atau paspor jadi dalam beberapa hari berarti ada langkah yang dilewati.
sign-rushed-safe = Proses yang benar butuh beberapa minggu, bukan beberapa hari.
sign-steps-skipped-title = Langkah wajib dilewati
sign-steps-skipped-why = Cek kesehatan, pelatihan sebelum berangkat (OPP), sidik jari di BP3MI, dan BPJS Ketenagakerjaan wajib. Tanpa itu Anda tidak terlindungi.
sign-steps-skipped-safe = Pastikan setiap langkah dilakukan sebelum berangkat.
sign-fishing-title = Tanda bahaya kerja di kapal
sign-fishing-why = Awak kapal sering direkrut dengan kata "magang", lewat teman, dijanjikan kerja di darat, atau dijerat utang. Di laut mereka sulit minta tolong.
sign-fishing-safe = Cek apakah perusahaannya punya izin SIP3MI.
sign-secrecy-title = Diminta merahasiakan
sign-secrecy-why = Disuruh merahasiakan, semua biaya "ditanggung", atau penyeberangan "sudah diatur" adalah tanda perdagangan orang.
sign-secrecy-safe = Ceritakan rencana Anda kepada keluarga dan cek ke petugas resmi.
sign-online-only-title = Hanya kenal lewat online
sign-online-only-why = Perekrut yang hanya lewat medsos atau WhatsApp dan hanya minta foto KTP dan KK sering tidak resmi.
sign-online-only-safe = Temui perekrut di kantor resminya yang terdaftar.

## Yang perlu dicari tahu

open-destination = Negara, kota, dan nama majikan yang pasti.
open-recruiter = Apakah perusahaannya terdaftar dan punya izin SIP3MI: cek di SISKOP2MI, Disnaker, LTSA, atau BP3MI.
open-visa = Visa apa yang akan dipakai. Hanya visa kerja yang aman.
open-contract = Minta lihat perjanjian kerja dalam bahasa Indonesia sebelum membayar atau berangkat.
open-fee = Berapa semua biayanya, secara tertulis. Tanyakan ke BP3MI mana yang boleh ditagih.
open-steps = Kapan cek kesehatan, pelatihan OPP, sidik jari, dan BPJS Ketenagakerjaan dilakukan.
open-me-channel = Apakah lewat jalur resmi SPSK. Pastikan di Disnaker.
open-documents = Di mana paspor dan KTP Anda sekarang. Simpan sendiri, jangan serahkan ke agen.
open-falsified = Apakah nama dan tanggal lahir di semua dokumen Anda benar.
open-fishing = Siapa pemilik kapal, di negara mana, dan apakah perusahaannya punya izin SIP3MI.

## Nomor bantuan (nomornya ada di flows/contacts.yaml)

contact-entry =
    📞 { $name } — { $purpose }
    { $numbers }
    { $hours }. Sumber terakhir: { $verified }.{ $recheck ->
        [yes] {" "}Nomor ini belum dicek ulang baru-baru ini; jika tidak tersambung, hubungi nomor lain di daftar ini.
       *[no] {""}
    }
contact-number = { $label }: { $value }
contact-label-tollfree = Telepon gratis
contact-label-from-abroad = Dari luar negeri
contact-label-whatsapp = WhatsApp
contact-label-phone = Telepon
contact-hours-24h = 24 jam
contact-hours-kemlu = Jam layanan tidak disebutkan; setiap KBRI/KJRI punya hotline sendiri
contact-hours-sapa = Jam layanan tidak disebutkan
contact-kp2mi-name = KP2MI (dulu BP2MI)
contact-kp2mi-purpose = calon pekerja migran, pekerja migran, dan keluarganya
contact-polri-name = Polisi (Polri)
contact-polri-purpose = keadaan darurat di Indonesia, gratis
contact-kemlu-name = Kemlu, perlindungan WNI
contact-kemlu-purpose = orang Indonesia yang sudah di luar negeri; ada juga tombol darurat di aplikasi Safe Travel
contact-sapa-name = SAPA 129 (KemenPPPA)
contact-sapa-purpose = kekerasan terhadap perempuan dan anak; laki-laki dewasa mungkin tidak dilayani

## Telegram command menu (npm run telegram:webhook)

telegram-command-menu = Kembali ke menu utama
telegram-command-help = Daftar perintah
telegram-command-language = Ganti bahasa
telegram-command-erase = Hapus semua data Anda
telegram-command-stop = Hentikan percakapan

## Petugas hotline (handoff)

handoff-consent = Jika Anda setuju, petugas hotline yang menjalankan layanan ini akan melihat jawaban Anda di chat ini, hasil pengecekan, bahasa Anda, dan apa yang Anda tulis di sini mulai sekarang. Mereka tidak melihat nomor HP atau nama akun Anda. Mereka membalas di sini, di chat ini. Apakah Anda setuju?
handoff-unstaffed = Petugas hotline tidak bisa membalas lewat chat di layanan ini. Silakan hubungi salah satu nomor: mereka bisa membantu.
handoff-accepted = Terima kasih. Percakapan Anda sekarang diteruskan ke petugas hotline; nomor kasus Anda menyusul sebentar lagi.
handoff-declined = Baik, tidak ada yang dibagikan kepada petugas.
handoff-emergency = Petugas hotline sudah diberi tahu dan akan menulis kepada Anda di chat ini secepatnya. Biarkan chat ini terbuka. Jika Anda dalam bahaya sekarang, hubungi nomor di atas. Jika tidak lagi butuh petugas, tulis "selesai".
relay-reminder = Anda sedang terhubung dengan petugas hotline: tulis pesan Anda di sini dan mereka akan membacanya. Untuk kembali ke bot, tulis "selesai". Dalam bahaya? Tulis "tolong".
relay-media = Petugas hanya bisa membaca teks di chat ini: mereka tahu Anda mengirim sesuatu, tetapi tidak bisa melihatnya. Mohon ceritakan dengan kata-kata.
relay-ended = Anda sudah mengakhiri percakapan dengan petugas hotline. Sekarang Anda kembali ke bot Waspada.
case-opened = Nomor kasus Anda #{ $id }. Petugas hotline akan membalas di sini, di chat ini. Simpan nomor ini.
case-off-hours = Petugas bertugas { $hours }: balasan mungkin baru datang mulai { $next }.
case-urgent-numbers = Jika mendesak, jangan menunggu: hubungi sekarang (24 jam).
staff-reply =
    👤 Petugas hotline:
    { $text }
case-claimed = Seorang petugas sedang menangani kasus Anda dan akan menulis kepada Anda di sini.
case-closed = Petugas hotline sudah menutup kasus Anda. Anda kembali ke bot Waspada. Anda selalu bisa kembali: tulis "menu".
bot-paused = Petugas hotline akan langsung membalas Anda sekarang; bot berhenti sementara.
bot-resumed = Bot menjawab lagi. Petugas tetap bisa melihat pesan Anda.
telegram-command-done = Akhiri percakapan dengan petugas hotline

## Grup petugas hotline di Telegram (yang dibaca petugas di grup mereka, dalam bahasa bawaan)

staff-group-reason = { $reason ->
    [high_risk] cek tawaran kerja berisiko tinggi
    [asked_for_person] minta bicara dengan petugas
    [abroad] sudah di luar negeri dan butuh bantuan
    [report] laporan tentang perekrut
    [emergency] DARURAT: minta tolong segera
   *[other] { $reason }
  }
staff-group-priority = { $priority ->
    [urgent] 🔴 mendesak
    [high] 🟠 tinggi
   *[other] 🔵 biasa
  }
staff-group-level = { $level ->
    [high] tinggi
    [medium] sedang
    [low] rendah
   *[other] { $level }
  }
staff-group-outcome = { $outcome ->
    [referred] dirujuk
    [resolved] selesai ditangani
    [no_response] tidak ada respons
    [duplicate] duplikat
    [spam] spam
    [erased] dihapus oleh orang tersebut
   *[other] { $outcome }
  }
staff-group-card-title = 📋 Kasus #{ $id }
staff-group-card-reason = Alasan: { $reason }
staff-group-card-priority = Prioritas: { $priority }
staff-group-card-level = Tingkat risiko: { $level }
staff-group-card-signs = Tanda bahaya: { $signs }
staff-group-card-no-signs = Tanda bahaya: tidak ditemukan
staff-group-card-answers = Jawaban:
staff-group-card-language = Bahasa: { $lang }
staff-group-card-channel = Saluran: { $channel }
staff-group-card-opened = Dibuka: { $time }
staff-group-card-open = Status: terbuka, belum ada yang menangani.
staff-group-card-claimed = Status: ditangani oleh { $name }
staff-group-card-closed = Status: ditutup ({ $outcome })
staff-group-card-muted = Bot dibisukan: orang tersebut hanya berbicara dengan petugas.
staff-group-card-unmuted = Bot menjawab orang tersebut lagi; petugas tetap membaca.
staff-group-card-left = Orang tersebut sudah mengakhiri percakapan dengan petugas.
staff-group-card-help = Semua yang Anda tulis di topik ini dikirim ke orang tersebut. Diskusi antarpetugas di tempat lain.
staff-group-button-claim = ✋ Tangani
staff-group-button-close = ✅ Tutup…
staff-group-button-mute = 🔇 Bisukan bot
staff-group-button-unmute = 🔊 Aktifkan bot
staff-group-button-back = ↩️ Kembali
staff-group-person =
    👤 Orang tersebut:
    { $text }
staff-group-console =
    🖥 { $name } (konsol):
    { $text }
staff-group-claimed = ✋ Ditangani oleh { $name }. Orang tersebut sudah diberi tahu bahwa ada petugas yang menangani.
staff-group-closed = ✅ { $name } menutup kasus: { $outcome }. Orang tersebut kembali ke bot.
staff-group-erased = 🗑 Orang tersebut menghapus datanya: kasus #{ $id } ditutup dan isinya dihapus.
staff-group-reminder = ⏰ Sudah { $minutes } menit belum ada yang menangani kasus ini. Tekan "Tangani" dan jawab orang tersebut.
staff-group-reminder-urgent = 🚨 MENDESAK: sudah { $minutes } menit belum ada yang menangani kasus ini. Seseorang mungkin dalam bahaya: tangani dan jawab sekarang.
staff-group-window-closed = ⚠️ Tidak terkirim: jendela 24 jam WhatsApp orang tersebut sudah tertutup. WhatsApp hanya mengizinkan bot menulis dalam 24 jam setelah pesan terakhir orang tersebut. Kirim ulang setelah mereka menulis lagi.
staff-group-window-invite = Bot mengirim template WhatsApp yang sudah disetujui untuk mengajak mereka membalas (paling banyak sekali sehari).
staff-group-not-delivered = ⚠️ Tidak terkirim: { $reason }
staff-group-escalated = ⬆️ Orang tersebut meminta bantuan lagi; prioritas sekarang { $priority }.
staff-group-asked-again = 🔁 Orang tersebut meminta bantuan lagi.
staff-group-person-left = 🚪 Orang tersebut mengakhiri percakapan dengan petugas. Balasan Anda tidak lagi sampai kepadanya.
staff-group-person-returned = ↩️ Orang tersebut kembali dan meminta bantuan lagi.
staff-group-muted = 🔇 { $name } membisukan bot: orang tersebut hanya berbicara dengan petugas.
staff-group-unmuted = 🔊 { $name } mengaktifkan bot: bot menjawab orang tersebut lagi, petugas tetap membaca.
staff-group-not-sent = ⚠️ Tidak terkirim: { $reason }
staff-group-send-failed = ⚠️ Tidak terkirim: ada gangguan di sistem kami. Silakan coba lagi.
staff-group-action-failed = ⚠️ Tidak berhasil: ada gangguan di sistem kami. Silakan coba lagi.
staff-group-text-only = ⚠️ Tidak terkirim: hanya teks yang sampai ke orang tersebut. Tuliskan dengan kata-kata.
staff-group-edit-not-sent = ✏️ Suntingan tidak dikirim: orang tersebut hanya menerima versi pertama. Tulis pesan baru untuk meralatnya.
staff-group-answer-claimed = Anda menangani kasus #{ $id }.
staff-group-answer-closed = Kasus #{ $id } sudah ditutup.
staff-group-answer-muted = Bot dibisukan.
staff-group-answer-unmuted = Bot menjawab lagi.

## Recruiters: family reports and the licensed-agency register

check-recruiter-identity = Berapa nomor HP/WhatsApp perekrut, atau apa nama agensinya? Ketik di sini, dan saya cek dengan laporan dari keluarga lain dan daftar agensi berizin (orang lain yang memakai layanan ini tidak pernah melihatnya). Atau ketik "tidak tahu".
check-recruiter-identity-error = Mohon ketik nomor atau nama, atau "tidak tahu".
recruiter-reported = ⚠️ { $count } orang sudah melaporkan perekrut ini kepada kami. Sangat berhati-hatilah, dan bicaralah dengan hotline sebelum membayar atau menandatangani apa pun.
agency-found = Ada di daftar agensi berizin: { $name }, izin { $licence }, berlaku sampai { $validUntil } (daftar diimpor tanggal { $importedAt }). Izin saja bukan jaminan: jawaban lain tetap dihitung.
agency-found-fuzzy = Nama yang mirip ada di daftar agensi berizin: { $name }, izin { $licence }, berlaku sampai { $validUntil } (daftar diimpor tanggal { $importedAt }). Pastikan namanya persis sama: nama yang dibuat mirip adalah trik yang sering dipakai.
agency-expired = ⚠️ { $name } ada di daftar agensi berizin, tetapi izinnya ({ $licence }) sudah habis pada { $validUntil } (daftar diimpor tanggal { $importedAt }). Ini tanda bahaya.
agency-not-found = Nama ini tidak ada di daftar agensi berizin (diimpor tanggal { $importedAt }). Cek di SISKOP2MI atau Disnaker setempat sebelum berangkat.
agency-no-register = Saya tidak bisa mengecek agensi di sini. Cek perusahaan di SISKOP2MI, Disnaker, LTSA, atau kantor BP3MI di provinsi Anda.
sign-reported-recruiter-title = Perekrut dilaporkan orang lain
sign-reported-recruiter-why = Beberapa orang yang berbeda melaporkan perekrut ini ke hotline. Siapa yang melapor, dan apa yang mereka tulis, tetap dirahasiakan.
sign-reported-recruiter-safe = Jangan membayar atau menyerahkan dokumen; bicaralah dulu dengan hotline.
sign-agency-expired-title = Izin agensi sudah habis
sign-agency-expired-why = Agensi ini ada di daftar, tetapi izinnya tidak berlaku lagi: sekarang ia tidak boleh menempatkan pekerja.
sign-agency-expired-safe = Berangkat hanya lewat perusahaan penempatan dengan izin yang masih berlaku; cek di SISKOP2MI atau Disnaker setempat.

## Job-ad analyser: pay far above the usual range (flows/salary-ranges.yaml)

sign-pay-too-high-title = Gaji jauh di atas biasanya
sign-pay-too-high-why = Gaji yang ditawarkan jauh lebih tinggi dari gaji resmi pekerjaan ini di negara itu, atau sama dengan gaji umpan sindikat penipuan online. Gaji yang terlalu bagus adalah cara umum untuk menjerat orang.
sign-pay-too-high-safe = Bandingkan dengan gaji resmi di BP3MI atau Disnaker, dan minta rincian gaji tertulis dalam perjanjian kerja.

## Public ad check: POST /api/v1/assess and the /cek page (src/http/assessRoutes.ts)

assess-level-low = 🟢 Risiko RENDAH menurut teks ini. Tetapi ini bukan jaminan aman: iklan sering tidak menyebut semuanya. Sebelum membayar atau berangkat, cek perusahaan di SISKOP2MI atau Disnaker, dan jangan serahkan paspor Anda.

## Iklan lowongan yang ditempel atau diteruskan

ad-found-intro = { $count ->
    [one] Dalam tawaran yang Anda kirim, saya menemukan satu tanda bahaya:
   *[other] Dalam tawaran yang Anda kirim, saya menemukan { $count } tanda bahaya:
}
ad-sign =
    ⚠️ { $title }
    "{ $evidence }"
    { $why }
ad-nothing = Saya sudah membaca tawaran yang Anda kirim dan tidak menemukan tanda bahaya yang jelas dalam kata-katanya. Itu bukan jaminan: pertanyaan berikut mengecek apa yang tidak ditulis dalam iklan.
ad-continue = Sekarang saya hanya akan menanyakan apa yang tidak disebut dalam tawaran itu.
