"""Thailand's 18 provincial clusters (กลุ่มจังหวัด) and their 76 provinces, as composed in the 2560s B.E.

Bangkok (TH-10) belongs to no cluster. Each cluster: (slug, Thai name, English name, provinces); each province:
(slug, Thai name, English name, ISO 3166-2 code). Slugs follow data/areas.ttl (``id/area/{slug}``).
"""

from __future__ import annotations

CLUSTERS: tuple[tuple[str, str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "upper-north-1",
        "ภาคเหนือตอนบน 1",
        "Upper Northern Provincial Cluster 1",
        (
            ("chiang-mai", "เชียงใหม่", "Chiang Mai", "TH-50"),
            ("lamphun", "ลำพูน", "Lamphun", "TH-51"),
            ("lampang", "ลำปาง", "Lampang", "TH-52"),
            ("mae-hong-son", "แม่ฮ่องสอน", "Mae Hong Son", "TH-58"),
        ),
    ),
    (
        "upper-north-2",
        "ภาคเหนือตอนบน 2",
        "Upper Northern Provincial Cluster 2",
        (
            ("chiang-rai", "เชียงราย", "Chiang Rai", "TH-57"),
            ("phayao", "พะเยา", "Phayao", "TH-56"),
            ("phrae", "แพร่", "Phrae", "TH-54"),
            ("nan", "น่าน", "Nan", "TH-55"),
        ),
    ),
    (
        "lower-north-1",
        "ภาคเหนือตอนล่าง 1",
        "Lower Northern Provincial Cluster 1",
        (
            ("tak", "ตาก", "Tak", "TH-63"),
            ("phitsanulok", "พิษณุโลก", "Phitsanulok", "TH-65"),
            ("phetchabun", "เพชรบูรณ์", "Phetchabun", "TH-67"),
            ("sukhothai", "สุโขทัย", "Sukhothai", "TH-64"),
            ("uttaradit", "อุตรดิตถ์", "Uttaradit", "TH-53"),
        ),
    ),
    (
        "lower-north-2",
        "ภาคเหนือตอนล่าง 2",
        "Lower Northern Provincial Cluster 2",
        (
            ("nakhon-sawan", "นครสวรรค์", "Nakhon Sawan", "TH-60"),
            ("kamphaeng-phet", "กำแพงเพชร", "Kamphaeng Phet", "TH-62"),
            ("phichit", "พิจิตร", "Phichit", "TH-66"),
            ("uthai-thani", "อุทัยธานี", "Uthai Thani", "TH-61"),
        ),
    ),
    (
        "upper-northeast-1",
        "ภาคตะวันออกเฉียงเหนือตอนบน 1",
        "Upper Northeastern Provincial Cluster 1",
        (
            ("udon-thani", "อุดรธานี", "Udon Thani", "TH-41"),
            ("nong-khai", "หนองคาย", "Nong Khai", "TH-43"),
            ("nong-bua-lam-phu", "หนองบัวลำภู", "Nong Bua Lam Phu", "TH-39"),
            ("loei", "เลย", "Loei", "TH-42"),
            ("bueng-kan", "บึงกาฬ", "Bueng Kan", "TH-38"),
        ),
    ),
    (
        "upper-northeast-2",
        "ภาคตะวันออกเฉียงเหนือตอนบน 2",
        "Upper Northeastern Provincial Cluster 2",
        (
            ("sakon-nakhon", "สกลนคร", "Sakon Nakhon", "TH-47"),
            ("nakhon-phanom", "นครพนม", "Nakhon Phanom", "TH-48"),
            ("mukdahan", "มุกดาหาร", "Mukdahan", "TH-49"),
        ),
    ),
    (
        "central-northeast",
        "ภาคตะวันออกเฉียงเหนือตอนกลาง",
        "Central Northeastern Provincial Cluster",
        (
            ("khon-kaen", "ขอนแก่น", "Khon Kaen", "TH-40"),
            ("maha-sarakham", "มหาสารคาม", "Maha Sarakham", "TH-44"),
            ("roi-et", "ร้อยเอ็ด", "Roi Et", "TH-45"),
            ("kalasin", "กาฬสินธุ์", "Kalasin", "TH-46"),
        ),
    ),
    (
        "lower-northeast-1",
        "ภาคตะวันออกเฉียงเหนือตอนล่าง 1",
        "Lower Northeastern Provincial Cluster 1",
        (
            ("nakhon-ratchasima", "นครราชสีมา", "Nakhon Ratchasima", "TH-30"),
            ("buriram", "บุรีรัมย์", "Buriram", "TH-31"),
            ("surin", "สุรินทร์", "Surin", "TH-32"),
            ("chaiyaphum", "ชัยภูมิ", "Chaiyaphum", "TH-36"),
        ),
    ),
    (
        "lower-northeast-2",
        "ภาคตะวันออกเฉียงเหนือตอนล่าง 2",
        "Lower Northeastern Provincial Cluster 2",
        (
            ("ubon-ratchathani", "อุบลราชธานี", "Ubon Ratchathani", "TH-34"),
            ("sisaket", "ศรีสะเกษ", "Sisaket", "TH-33"),
            ("yasothon", "ยโสธร", "Yasothon", "TH-35"),
            ("amnat-charoen", "อำนาจเจริญ", "Amnat Charoen", "TH-37"),
        ),
    ),
    (
        "upper-central-1",
        "ภาคกลางตอนบน 1",
        "Upper Central Provincial Cluster 1",
        (
            ("phra-nakhon-si-ayutthaya", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "TH-14"),
            ("pathum-thani", "ปทุมธานี", "Pathum Thani", "TH-13"),
            ("nonthaburi", "นนทบุรี", "Nonthaburi", "TH-12"),
            ("saraburi", "สระบุรี", "Saraburi", "TH-19"),
        ),
    ),
    (
        "upper-central-2",
        "ภาคกลางตอนบน 2",
        "Upper Central Provincial Cluster 2",
        (
            ("chai-nat", "ชัยนาท", "Chai Nat", "TH-18"),
            ("lopburi", "ลพบุรี", "Lopburi", "TH-16"),
            ("sing-buri", "สิงห์บุรี", "Sing Buri", "TH-17"),
            ("ang-thong", "อ่างทอง", "Ang Thong", "TH-15"),
        ),
    ),
    (
        "middle-central",
        "ภาคกลางตอนกลาง",
        "Middle Central Provincial Cluster",
        (
            ("prachinburi", "ปราจีนบุรี", "Prachinburi", "TH-25"),
            ("nakhon-nayok", "นครนายก", "Nakhon Nayok", "TH-26"),
            ("sa-kaeo", "สระแก้ว", "Sa Kaeo", "TH-27"),
            ("chachoengsao", "ฉะเชิงเทรา", "Chachoengsao", "TH-24"),
            ("samut-prakan", "สมุทรปราการ", "Samut Prakan", "TH-11"),
        ),
    ),
    (
        "lower-central-1",
        "ภาคกลางตอนล่าง 1",
        "Lower Central Provincial Cluster 1",
        (
            ("ratchaburi", "ราชบุรี", "Ratchaburi", "TH-70"),
            ("kanchanaburi", "กาญจนบุรี", "Kanchanaburi", "TH-71"),
            ("suphan-buri", "สุพรรณบุรี", "Suphan Buri", "TH-72"),
            ("nakhon-pathom", "นครปฐม", "Nakhon Pathom", "TH-73"),
        ),
    ),
    (
        "lower-central-2",
        "ภาคกลางตอนล่าง 2",
        "Lower Central Provincial Cluster 2",
        (
            ("phetchaburi", "เพชรบุรี", "Phetchaburi", "TH-76"),
            ("prachuap-khiri-khan", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", "TH-77"),
            ("samut-sakhon", "สมุทรสาคร", "Samut Sakhon", "TH-74"),
            ("samut-songkhram", "สมุทรสงคราม", "Samut Songkhram", "TH-75"),
        ),
    ),
    (
        "east",
        "ภาคตะวันออก",
        "Eastern Provincial Cluster",
        (
            ("chonburi", "ชลบุรี", "Chonburi", "TH-20"),
            ("rayong", "ระยอง", "Rayong", "TH-21"),
            ("chanthaburi", "จันทบุรี", "Chanthaburi", "TH-22"),
            ("trat", "ตราด", "Trat", "TH-23"),
        ),
    ),
    (
        "south-gulf",
        "ภาคใต้ฝั่งอ่าวไทย",
        "Southern Gulf of Thailand Provincial Cluster",
        (
            ("chumphon", "ชุมพร", "Chumphon", "TH-86"),
            ("surat-thani", "สุราษฎร์ธานี", "Surat Thani", "TH-84"),
            ("nakhon-si-thammarat", "นครศรีธรรมราช", "Nakhon Si Thammarat", "TH-80"),
            ("phatthalung", "พัทลุง", "Phatthalung", "TH-93"),
        ),
    ),
    (
        "south-andaman",
        "ภาคใต้ฝั่งอันดามัน",
        "Southern Andaman Provincial Cluster",
        (
            ("phuket", "ภูเก็ต", "Phuket", "TH-83"),
            ("phang-nga", "พังงา", "Phang Nga", "TH-82"),
            ("krabi", "กระบี่", "Krabi", "TH-81"),
            ("ranong", "ระนอง", "Ranong", "TH-85"),
            ("trang", "ตรัง", "Trang", "TH-92"),
        ),
    ),
    (
        "south-border",
        "ภาคใต้ชายแดน",
        "Southern Border Provincial Cluster",
        (
            ("songkhla", "สงขลา", "Songkhla", "TH-90"),
            ("satun", "สตูล", "Satun", "TH-91"),
            ("pattani", "ปัตตานี", "Pattani", "TH-94"),
            ("yala", "ยะลา", "Yala", "TH-95"),
            ("narathiwat", "นราธิวาส", "Narathiwat", "TH-96"),
        ),
    ),
)

assert len(CLUSTERS) == 18
assert sum(len(c[3]) for c in CLUSTERS) == 76
assert len({p[3] for c in CLUSTERS for p in c[3]}) == 76
